import NIOCore
import NIOHTTP1

/// Reads HTTP/1.x requests from a client connection's bytes, one at a time: a request's head
/// (``RequestHeadParser``), then its body as it arrives (by length, or chunk by chunk, strictly),
/// then nothing more until the connection handler has answered it and calls ``resume()``. Bytes
/// after a request the handler does not resume after (the connection closes) are never read as a
/// request. While a request waits for its answer, socket reads are held once bytes are buffered.
/// When the client closes its side, what is buffered is served first; an unfinished request is
/// answered 400 (``RequestRefusal/incomplete``). Confined to the connection's event loop.
final class ClientRequestDecoder: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ClientRequestPart
    /// The response bytes pass through.
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum State {
        case head
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        /// A request is complete; the next is read after ``resume()``.
        case awaitingResponse
        /// Nothing more is read as a request: bytes are dropped.
        case stopped
    }

    /// A chunk-size line or trailer line longer than this is refused.
    private static let maxChunkLineBytes = 4096

    private var state = State.head
    private var buffer: ByteBuffer?
    private var context: ChannelHandlerContext?
    private var draining = false
    private var readHeld = false
    private var inputClosed = false
    private var inputClosedDelivered = false
    private var trailers: HTTPHeaders?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Whether bytes of a request that is not complete yet have arrived (for 408).
    var hasPartialRequest: Bool {
        switch state {
        case .head: (buffer?.readableBytes ?? 0) > 0
        case .body, .chunkSize, .chunkData, .chunkDataEnd, .trailers: true
        case .awaitingResponse, .stopped: false
        }
    }

    /// The answer to the last request is complete and the connection stays open: read the next.
    func resume() {
        guard case .awaitingResponse = state else { return }
        state = .head
        if draining { return }
        if let context { drain(context: context) }
        if readHeld, case .head = state, let context {
            readHeld = false
            context.read()
        }
    }

    /// The connection is closing: nothing more is read as a request.
    func stop() {
        state = .stopped
        buffer = nil
        if readHeld, let context {
            readHeld = false
            context.read()
        }
        if inputClosed, let context { deliverInputClosed(context: context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if case .stopped = state { return }
        if buffer == nil || buffer!.readableBytes == 0 {
            buffer = bytes
        } else {
            buffer!.writeBuffer(&bytes)
        }
        drain(context: context)
    }

    func read(context: ChannelHandlerContext) {
        if case .awaitingResponse = state, (buffer?.readableBytes ?? 0) > 0 {
            readHeld = true
            return
        }
        context.read()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? ChannelEvent, event == .inputClosed else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        inputClosed = true
        switch state {
        case .awaitingResponse: break
        case .stopped: deliverInputClosed(context: context)
        default: drain(context: context)
        }
    }

    private func deliverInputClosed(context: ChannelHandlerContext) {
        guard !inputClosedDelivered else { return }
        inputClosedDelivered = true
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    /// Reads as much as the buffer and the state allow, handing parts on.
    private func drain(context: ChannelHandlerContext) {
        draining = true
        defer {
            draining = false
            if let readable = buffer?.readableBytes, readable == 0 { buffer = nil }
        }
        while true {
            do {
                guard try step(context: context) else { break }
            } catch {
                state = .stopped
                buffer = nil
                context.fireErrorCaught(error)
                return
            }
        }
        if inputClosed {
            switch state {
            case .head where (buffer?.readableBytes ?? 0) == 0: deliverInputClosed(context: context)
            case .stopped: deliverInputClosed(context: context)
            case .awaitingResponse: break
            default:
                state = .stopped
                buffer = nil
                context.fireErrorCaught(RequestRefusal.incomplete)
            }
        }
    }

    /// One step of reading; false when it needs more bytes or must wait.
    private func step(context: ChannelHandlerContext) throws -> Bool {
        switch state {
        case .awaitingResponse, .stopped:
            return false
        case .head:
            return try readHead(context: context)
        case .body(let remaining):
            guard let slice = takeBody(upTo: remaining) else { return false }
            let left = remaining - slice.readableBytes
            state = left == 0 ? .awaitingResponse : .body(remaining: left)
            context.fireChannelRead(wrapInboundOut(.body(slice)))
            if left == 0 { finishRequest(context: context) }
            return true
        case .chunkSize:
            guard let line = try readLine() else { return false }
            let size = try Self.chunkSize(line)
            state = size == 0 ? .trailers : .chunkData(remaining: size)
            return true
        case .chunkData(let remaining):
            guard let slice = takeBody(upTo: remaining) else { return false }
            let left = remaining - slice.readableBytes
            state = left == 0 ? .chunkDataEnd : .chunkData(remaining: left)
            context.fireChannelRead(wrapInboundOut(.body(slice)))
            return true
        case .chunkDataEnd:
            guard let line = try readLine() else { return false }
            guard line.isEmpty else { throw RequestRefusal.malformed("InvalidChunk") }
            state = .chunkSize
            return true
        case .trailers:
            guard let line = try readLine() else { return false }
            if line.isEmpty {
                state = .awaitingResponse
                finishRequest(context: context)
                return true
            }
            let text = String(decoding: line, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
                text[..<colon].utf8.allSatisfy(HTTPToken.isTokenByte)
            else { throw RequestRefusal.malformed("InvalidChunk") }
            if trailers == nil { trailers = HTTPHeaders() }
            trailers!.add(name: String(text[..<colon]), value: String(text[text.index(after: colon)...].trimmingWhitespace))
            return true
        }
    }

    /// Up to `limit` buffered body bytes, nil when none are buffered.
    private func takeBody(upTo limit: Int) -> ByteBuffer? {
        let available = buffer?.readableBytes ?? 0
        guard available > 0 else { return nil }
        return buffer!.readSlice(length: min(limit, available))
    }

    private func finishRequest(context: ChannelHandlerContext) {
        let sent = trailers
        trailers = nil
        context.fireChannelRead(wrapInboundOut(.end(sent)))
    }

    private func readHead(context: ChannelHandlerContext) throws -> Bool {
        guard var buffer, buffer.readableBytes > 0 else { return false }
        // RFC 9112 section 2.2: empty lines before a request line are ignored.
        while let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), byte == HTTPBytes.cr || byte == HTTPBytes.lf {
            buffer.moveReaderIndex(forwardBy: 1)
        }
        self.buffer = buffer
        guard buffer.readableBytes > 0 else { return false }
        let parsed: Result<ParsedRequestHead, RequestRefusal>? = try buffer.withUnsafeReadableBytes { bytes throws(RequestRefusal) in
            guard let end = try RequestHeadParser.headEnd(in: bytes) else { return nil }
            self.buffer!.moveReaderIndex(forwardBy: end)
            return RequestHeadParser.parse(UnsafeRawBufferPointer(rebasing: bytes[..<end]))
        }
        guard let parsed else { return false }
        let head = try parsed.get()
        if head.refusal != nil {
            state = .stopped
            self.buffer = nil
            context.fireChannelRead(wrapInboundOut(.head(head)))
            return false
        }
        switch head.framing {
        case .length(0):
            state = .awaitingResponse
            context.fireChannelRead(wrapInboundOut(.head(head)))
            if case .awaitingResponse = state { finishRequest(context: context) }
        case .length(let length):
            state = .body(remaining: length)
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .chunked:
            state = .chunkSize
            context.fireChannelRead(wrapInboundOut(.head(head)))
        }
        return true
    }

    /// The next CRLF-terminated line without its CRLF; nil while incomplete. A bare LF is refused.
    private func readLine() throws(RequestRefusal) -> [UInt8]? {
        guard var buffer else { return nil }
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: HTTPBytes.lf) else {
            if view.count > Self.maxChunkLineBytes { throw .malformed("InvalidChunk") }
            return nil
        }
        let length = newline - view.startIndex
        guard length > 0, view[newline - 1] == HTTPBytes.cr, length <= Self.maxChunkLineBytes else {
            throw .malformed("InvalidChunk")
        }
        let line = buffer.readBytes(length: length - 1)!
        buffer.moveReaderIndex(forwardBy: 2)
        self.buffer = buffer
        return line
    }

    /// `1*HEXDIG [ chunk-ext ]`; at most 15 hex digits.
    private static func chunkSize(_ line: [UInt8]) throws(RequestRefusal) -> Int {
        let digits = line.prefix { $0 != UInt8(ascii: ";") }
        guard !digits.isEmpty, digits.count <= 15, let size = Int(String(decoding: digits, as: UTF8.self), radix: 16),
            digits.allSatisfy({ $0.isHexDigitByte })
        else { throw .malformed("InvalidChunk") }
        if digits.count < line.count, line.contains(where: { HTTPBytes.isControl($0) }) { throw .malformed("InvalidChunk") }
        return size
    }
}

extension UInt8 {
    fileprivate var isHexDigitByte: Bool {
        (48...57).contains(self) || (65...70).contains(self) || (97...102).contains(self)
    }
}
