import NIOCore
import NIOHTTP1

/// The bytes of a request the node forwards to a target over HTTP/1.1: the head written
/// straight into one buffer, with the body framed as NIO's request encoder frames it
/// (`Content-Length` as given; chunked when given, or for a `POST`, `PUT` or `PATCH` without a
/// length; no body for `TRACE`). Header names must be tokens and values free of CR, LF and NUL,
/// or nothing is written. Pure.
enum UpstreamRequestBytes {
    /// A header field that cannot be sent in HTTP/1.1 without changing the message's meaning.
    struct InvalidField: Error, Equatable {
        var name: String
    }

    /// The head's bytes and whether its body is chunked.
    static func head(_ head: HTTPRequestHead, allocator: ByteBufferAllocator) throws(InvalidField) -> (ByteBuffer, isChunked: Bool) {
        var headers = head.headers
        let isChunked = frame(method: head.method, headers: &headers)
        var buffer = allocator.buffer(capacity: 256)
        buffer.writeString(head.method.rawValue)
        buffer.writeInteger(HTTPBytes.space)
        buffer.writeString(head.uri)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        try write(headers, to: &buffer)
        return (buffer, isChunked)
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

    /// Adjusts the framing fields as NIO's `HTTPRequestEncoder` does; returns whether the body is chunked.
    private static func frame(method: HTTPMethod, headers: inout HTTPHeaders) -> Bool {
        var hasLength = false
        var transferEncoding: String?
        for (name, value) in headers {
            if HTTPBytes.equalsIgnoringCase(name.utf8, "content-length") {
                hasLength = true
            } else if HTTPBytes.equalsIgnoringCase(name.utf8, "transfer-encoding") {
                transferEncoding = transferEncoding ?? value
            }
        }
        if method == .TRACE {
            if hasLength { headers.remove(name: "Content-Length") }
            if transferEncoding != nil { headers.remove(name: "Transfer-Encoding") }
            return false
        }
        if hasLength {
            if transferEncoding != nil { headers.remove(name: "Transfer-Encoding") }
            return false
        }
        if transferEncoding == "chunked" { return true }
        guard method == .POST || method == .PUT || method == .PATCH else { return false }
        headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        return true
    }

    /// The field lines and the empty line after them.
    private static func write(_ headers: HTTPHeaders, to buffer: inout ByteBuffer) throws(InvalidField) {
        for (name, value) in headers {
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
        buffer.writeStaticString("\r\n")
    }
}
