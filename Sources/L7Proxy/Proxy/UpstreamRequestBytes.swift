import NIOCore
import NIOHTTP1

/// The bytes of a request the node forwards to a target over HTTP/1.1: the rewritten head
/// (``ForwardedRequestHead``) written straight into one buffer as its fields are visited, with
/// the body framed as NIO's request encoder frames it (`Content-Length` as the client gave it;
/// chunked when the client chunked, or for a `POST`, `PUT` or `PATCH` without a length; no body
/// for `TRACE`). Header names must be tokens and values free of CR, LF and NUL, or nothing is
/// written. Pure.
enum UpstreamRequestBytes {
    /// A header field that cannot be sent in HTTP/1.1 without changing the message's meaning.
    struct InvalidField: Error, Equatable {
        var name: String
    }

    /// Writes the head's bytes to `buffer`; returns whether its body is chunked.
    static func writeHead(_ head: ForwardedRequestHead, to buffer: inout ByteBuffer) throws(InvalidField) -> Bool {
        buffer.writeString(head.method.rawValue)
        buffer.writeInteger(HTTPBytes.space)
        buffer.writeString(head.request.uri)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        let framing = try head.forEachField { (name, value) throws(InvalidField) in try writeField(name, value, to: &buffer) }
        let isChunked: Bool
        switch framing {
        case _ where head.method == .TRACE:
            isChunked = false
        case .length(let length):
            try writeField("Content-Length", length, to: &buffer)
            isChunked = false
        case .chunked:
            buffer.writeStaticString("Transfer-Encoding: chunked\r\n")
            isChunked = true
        case .none:
            isChunked = head.method == .POST || head.method == .PUT || head.method == .PATCH
            if isChunked { buffer.writeStaticString("Transfer-Encoding: chunked\r\n") }
        }
        buffer.writeStaticString("\r\n")
        return isChunked
    }

    /// The line before a chunk of `length` bytes.
    static func chunkStart(length: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 18)
        buffer.writeString(String(length, radix: 16))
        buffer.writeStaticString("\r\n")
        return buffer
    }

    /// The last chunk, with the trailer section.
    static func lastChunk(trailers: HTTPHeaders?, allocator: ByteBufferAllocator) throws(InvalidField) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 8)
        buffer.writeStaticString("0\r\n")
        try write(trailers ?? [:], to: &buffer)
        return buffer
    }

    /// The trailer section's field lines and the empty line after them.
    private static func write(_ headers: HTTPHeaders, to buffer: inout ByteBuffer) throws(InvalidField) {
        for (name, value) in headers { try writeField(name, value, to: &buffer) }
        buffer.writeStaticString("\r\n")
    }

    /// One field line.
    private static func writeField(_ name: String, _ value: String, to buffer: inout ByteBuffer) throws(InvalidField) {
        let nameStart = buffer.writerIndex
        buffer.writeString(name)
        let nameEnd = buffer.writerIndex
        buffer.writeStaticString(": ")
        let valueStart = buffer.writerIndex
        buffer.writeString(value)
        let valueEnd = buffer.writerIndex
        // Checked in the buffer, where the bytes are contiguous whatever the strings' storage.
        let sendable = buffer.withUnsafeReadableBytes { bytes in
            let base = buffer.readerIndex
            let nameBytes = bytes[(nameStart - base)..<(nameEnd - base)]
            return !nameBytes.isEmpty && nameBytes.allSatisfy(HTTPToken.isTokenByte)
                && !bytes[(valueStart - base)..<(valueEnd - base)].contains { $0 == HTTPBytes.cr || $0 == HTTPBytes.lf || $0 == 0 }
        }
        guard sendable else { throw InvalidField(name: name) }
        buffer.writeStaticString("\r\n")
    }
}
