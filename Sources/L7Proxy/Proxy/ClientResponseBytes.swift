import NIOCore
import NIOHTTP1

/// The bytes of the responses on an HTTP/1 client connection, gathered until the connection's
/// handler flushes: a response that arrives from its target in one read (head, a body of up to
/// ``gatheringLimit`` bytes, end) leaves in one buffer, one write through the pipeline (and one
/// TLS record on HTTPS listeners). Framed as NIO's `HTTPResponseEncoder` frames it:
/// `Content-Length` kept, chunked on HTTP/1.1 otherwise, neither for 1xx, 204 and 304 (their
/// `Content-Length` and `Transfer-Encoding` dropped); and no body at all, not even a last chunk,
/// after a response to `HEAD`. Confined to the connection's event loop.
struct ClientResponseBytes {
    /// Bodies larger than this are written as they are (not copied), after what was gathered.
    static let gatheringLimit = 16 * 1024

    private var gathered: ByteBuffer?
    private var isChunked = false
    private var suppressesBody = false

    /// Gathers a response head. `answersHEAD`: the response's body is not sent.
    mutating func head(_ head: HTTPResponseHead, answersHEAD: Bool, allocator: ByteBufferAllocator) {
        let code = head.status.code
        var buffer = take(allocator: allocator, capacity: 256)
        Self.writeStatusLine(version: head.version, status: head.status, to: &buffer)
        let bodyless = !head.status.mayHaveResponseBody
        var hasLength = false
        var hasTransferEncoding = false
        for (name, _) in head.headers {
            if HTTPBytes.equalsIgnoringCase(name.utf8, "content-length") {
                hasLength = true
            } else if HTTPBytes.equalsIgnoringCase(name.utf8, "transfer-encoding") {
                hasTransferEncoding = true
            }
        }
        let chunked = !bodyless && !hasLength && head.version.minor >= 1
        let dropsFraming = bodyless || (hasLength && hasTransferEncoding)
        for (name, value) in head.headers {
            if dropsFraming || chunked, Self.isFraming(name, droppingLength: bodyless) { continue }
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        if chunked { buffer.writeStaticString("transfer-encoding: chunked\r\n") }
        buffer.writeStaticString("\r\n")
        gathered = buffer
        // An interim answer is followed by the final one, which decides the framing.
        guard code / 100 != 1 || code == 101 else { return }
        isChunked = chunked && !answersHEAD
        suppressesBody = answersHEAD
    }

    /// Gathers a response head whose field lines go as the target sent them
    /// (``TargetResponseHead/forwardableFieldLines``: its body has a length, the status allows
    /// it), with a `Connection` field when `connection` is given; returns the head's size.
    mutating func head(
        version: HTTPVersion, status: HTTPResponseStatus, fieldLines: ByteBuffer, connection: String?, answersHEAD: Bool,
        allocator: ByteBufferAllocator
    ) -> Int {
        var buffer = take(allocator: allocator, capacity: 64 + fieldLines.readableBytes)
        let start = buffer.writerIndex
        Self.writeStatusLine(version: version, status: status, to: &buffer)
        var lines = fieldLines
        buffer.writeBuffer(&lines)
        if let connection {
            buffer.writeStaticString("Connection: ")
            buffer.writeString(connection)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        let size = buffer.writerIndex - start
        gathered = buffer
        isChunked = false
        suppressesBody = answersHEAD
        return size
    }

    /// `HTTP/1.x NNN reason` and its line end.
    private static func writeStatusLine(version: HTTPVersion, status: HTTPResponseStatus, to buffer: inout ByteBuffer) {
        buffer.writeStaticString("HTTP/1.")
        buffer.writeStaticString(version.minor == 0 ? "0 " : "1 ")
        buffer.writeString(String(status.code))
        buffer.writeInteger(HTTPBytes.space)
        buffer.writeString(status.reasonPhrase)
        buffer.writeStaticString("\r\n")
    }

    /// Gathers a piece of the body; returns it when it is too large to copy: the caller writes
    /// ``take()`` and then it, and calls ``afterLargeBody(allocator:)``.
    mutating func body(_ body: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard !suppressesBody, body.readableBytes > 0 else { return nil }
        let isLarge = body.readableBytes > Self.gatheringLimit
        if isLarge, !isChunked { return body }
        var buffer = take(allocator: allocator, capacity: isLarge ? 16 : body.readableBytes + 16)
        if isChunked {
            buffer.writeString(String(body.readableBytes, radix: 16))
            buffer.writeStaticString("\r\n")
        }
        guard !isLarge else {
            gathered = buffer
            return body
        }
        var body = body
        buffer.writeBuffer(&body)
        if isChunked { buffer.writeStaticString("\r\n") }
        gathered = buffer
        return nil
    }

    /// Gathers what follows a large body piece written on its own.
    mutating func afterLargeBody(allocator: ByteBufferAllocator) {
        guard isChunked else { return }
        var buffer = take(allocator: allocator, capacity: 8)
        buffer.writeStaticString("\r\n")
        gathered = buffer
    }

    /// Gathers the response's end: the last chunk and trailers of a chunked body.
    mutating func end(trailers: HTTPHeaders?, allocator: ByteBufferAllocator) {
        defer {
            isChunked = false
            suppressesBody = false
        }
        guard isChunked else { return }
        var buffer = take(allocator: allocator, capacity: 16)
        buffer.writeStaticString("0\r\n")
        for (name, value) in trailers ?? [:] {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        gathered = buffer
    }

    /// What was gathered since the last call, nil when nothing was.
    mutating func take() -> ByteBuffer? {
        defer { gathered = nil }
        return gathered
    }

    private mutating func take(allocator: ByteBufferAllocator, capacity: Int) -> ByteBuffer {
        take() ?? allocator.buffer(capacity: capacity)
    }

    /// `Content-Length` (when `droppingLength`) or `Transfer-Encoding`.
    private static func isFraming(_ name: String, droppingLength: Bool) -> Bool {
        HTTPBytes.equalsIgnoringCase(name.utf8, "transfer-encoding")
            || (droppingLength && HTTPBytes.equalsIgnoringCase(name.utf8, "content-length"))
    }
}
