import NIOCore
import NIOHTTP1

/// Reads a target's HTTP/1.1 responses from the bytes of its connection, one response per
/// request sent (RFC 9112): the status line and header fields into a ``TargetResponseHead``, the
/// body as slices of the received buffers (never copied), delimited by `Content-Length`,
/// chunked transfer coding or the connection's end, and the trailers of a chunked body.
/// Interim (1xx) responses are read and dropped. Strict where framing is decided: a response
/// whose framing is ambiguous or broken is refused (``MalformedResponse``), so the node answers
/// 502 instead of forwarding bytes it could misframe. Pure.
public struct UpstreamResponseReader {
    /// The head (status line and fields), a chunk-size line and a trailer section may each be
    /// this long, as NIO's decoder allows.
    public static let maxHeadBytes = 80 * 1024

    public init() {}

    private enum State: Equatable {
        /// No request is waiting for its response.
        case idle
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        /// The CRLF after a chunk's data.
        case chunkDataEnd
        case trailers
        /// The body ends when the connection does.
        case untilClose
        /// The body is complete (or there is none): the response's end comes next.
        case endNext
    }

    private var state = State.idle
    private var requestWasHEAD = false

    /// Whether the current (or last) response's body ended only with the connection.
    public private(set) var isDelimitedByClose = false

    /// Whether a response is expected or in progress.
    public var awaitsResponse: Bool { state != .idle }

    /// A request was sent: the next bytes are its response. A response to `HEAD` has no body.
    public mutating func expectResponse(toHEAD: Bool) {
        state = .head
        requestWasHEAD = toHEAD
        isDelimitedByClose = false
    }

    /// The next part of the response from `input`'s readable bytes, nil when more bytes are
    /// needed or no response is expected. Consumes the bytes of what it returns.
    public mutating func next(from input: inout ByteBuffer) throws(MalformedResponse) -> UpstreamResponsePart? {
        while true {
            switch state {
            case .idle:
                return nil
            case .head:
                guard let head = try readHead(from: &input) else { return nil }
                // An interim response was dropped: read on.
                if let head { return .head(head) }
            case .endNext:
                state = .idle
                return .end(nil)
            case .fixedBody(let remaining):
                guard let body = Self.slice(of: &input, upTo: remaining) else { return nil }
                state = remaining == body.readableBytes ? .endNext : .fixedBody(remaining: remaining - body.readableBytes)
                return .body(body)
            case .untilClose:
                guard let body = Self.slice(of: &input, upTo: input.readableBytes) else { return nil }
                return .body(body)
            case .chunkSize:
                guard let line = try Self.line(from: &input) else { return nil }
                let size = try Self.chunkSize(line)
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard let body = Self.slice(of: &input, upTo: remaining) else { return nil }
                state = remaining == body.readableBytes ? .chunkDataEnd : .chunkData(remaining: remaining - body.readableBytes)
                return .body(body)
            case .chunkDataEnd:
                guard let line = try Self.line(from: &input) else { return nil }
                guard line.readableBytes == 0 else { throw MalformedResponse("chunk data longer than its size") }
                state = .chunkSize
            case .trailers:
                guard let length = try ResponseFieldLines.sectionLength(in: input, limit: Self.maxHeadBytes) else { return nil }
                let trailers = try input.readSlice(length: length)!.withUnsafeReadableBytes { bytes throws(MalformedResponse) in
                    try ResponseFieldLines.trailers(bytes)
                }
                state = .idle
                return .end(trailers)
            }
        }
    }

    /// The connection ended: the end of a body delimited by it; nil when a response was cut short
    /// or none was expected.
    public mutating func connectionEnded() -> UpstreamResponsePart? {
        guard state == .untilClose else { return nil }
        state = .idle
        return .end(nil)
    }

    /// Reads a complete head: the head of a final response, `.some(nil)` for an interim one,
    /// nil while incomplete.
    private mutating func readHead(from input: inout ByteBuffer) throws(MalformedResponse) -> TargetResponseHead?? {
        guard let length = try ResponseFieldLines.sectionLength(in: input, limit: Self.maxHeadBytes) else { return nil }
        let section = input.readSlice(length: length)!
        let parsed = try section.withUnsafeReadableBytes { bytes throws(MalformedResponse) in
            try ParsedResponseHead(bytes)
        }
        let code = parsed.status.code
        if code / 100 == 1 {
            guard code != 101 else { throw MalformedResponse("101 Switching Protocols without an upgrade") }
            return .some(nil)
        }
        if requestWasHEAD || code == 204 || code == 304 {
            state = .endNext
            return TargetResponseHead(section: section, parsed: parsed, droppingLength: false)
        }
        // A `Content-Length` that does not delimit the body does not go on.
        let droppingLength: Bool
        switch parsed.framing {
        case .chunked:
            droppingLength = true
            state = .chunkSize
        case .length(let length):
            droppingLength = false
            state = length == 0 ? .endNext : .fixedBody(remaining: length)
        case .untilClose:
            droppingLength = true
            state = .untilClose
            isDelimitedByClose = true
        }
        return TargetResponseHead(section: section, parsed: parsed, droppingLength: droppingLength)
    }

    /// Up to `limit` of `input`'s bytes, nil when it has none.
    private static func slice(of input: inout ByteBuffer, upTo limit: Int) -> ByteBuffer? {
        guard input.readableBytes > 0 else { return nil }
        return input.readSlice(length: min(limit, input.readableBytes))
    }

    /// One line without its line end, nil while incomplete.
    private static func line(from input: inout ByteBuffer) throws(MalformedResponse) -> ByteBuffer? {
        guard let newline = input.readableBytesView.firstIndex(of: HTTPBytes.lf) else {
            if input.readableBytes > maxHeadBytes { throw MalformedResponse("chunk line too long") }
            return nil
        }
        let length = newline - input.readerIndex
        var line = input.readSlice(length: length)!
        input.moveReaderIndex(forwardBy: 1)
        if line.readableBytesView.last == HTTPBytes.cr { line.moveWriterIndex(to: line.writerIndex - 1) }
        return line
    }

    /// A chunk-size line: hexadecimal digits, then optional extensions after `;`, which are ignored.
    private static func chunkSize(_ line: ByteBuffer) throws(MalformedResponse) -> Int {
        var size = 0
        var digits = 0
        for byte in line.readableBytesView {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: ";"), HTTPBytes.space, HTTPBytes.tab:
                guard digits > 0 else { throw MalformedResponse("chunk size missing") }
                return size
            default: throw MalformedResponse("invalid chunk size")
            }
            digits += 1
            guard digits <= 15 else { throw MalformedResponse("chunk size too large") }
            size = size << 4 | value
        }
        guard digits > 0 else { throw MalformedResponse("chunk size missing") }
        return size
    }
}

/// Why a target's response could not be read; the node answers 502 (`TargetResponseError`).
public struct MalformedResponse: Error, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
