import NIOHTTP1

/// A target's response head read from its bytes (status line and fields, as delimited by
/// ``ResponseFieldLines``), with how its body is delimited (RFC 9112 section 6.3) and whether
/// its field lines can go to an HTTP/1 client as they are. Reads the fields without making
/// strings of them. Pure.
struct ParsedResponseHead {
    /// How the body ends, before the request method and status are taken into account.
    enum Framing: Equatable {
        case length(Int)
        case chunked
        /// With the connection.
        case untilClose
    }

    var version: HTTPVersion
    var status: HTTPResponseStatus
    var framing: Framing
    /// Where the field lines are in the bytes: after the status line, before the empty line.
    var fieldLines: Range<Int>
    /// Whether an HTTP/1 client can get the field lines exactly as they are: each is
    /// `name: value` ending in CRLF (the form the node writes decoded fields in), none is
    /// hop-by-hop (`Connection`, `Transfer-Encoding`, ...), a `Content-Length` is among them,
    /// and the status allows a body.
    var fieldLinesAreForwardable: Bool

    /// `Transfer-Encoding` decides over `Content-Length`: chunked when it is the last coding,
    /// until the connection's end otherwise. Several `Content-Length` values must agree.
    init(_ bytes: UnsafeRawBufferPointer) throws(MalformedResponse) {
        var statusLine: (version: HTTPVersion, code: Int)?
        var fieldsStart = 0
        var length: Int?
        var lastCoding: Slice<UnsafeRawBufferPointer>?
        var canonical = true
        let fieldsEnd = try ResponseFieldLines.forEachLine(bytes) { (line) throws(MalformedResponse) in
            guard statusLine != nil else {
                statusLine = try Self.statusLine(line.bytes)
                fieldsStart = line.next
                return
            }
            let field = try ResponseFieldLines.check(line.bytes)
            if !field.isCanonical || !line.endsInCRLF || field.kind.isHopByHop { canonical = false }
            switch field.kind {
            case .contentLength:
                // Each comma-separated item, read in place.
                let value = field.value
                var itemStart = value.startIndex
                while true {
                    let comma = value[itemStart...].firstIndex(of: UInt8(ascii: ",")) ?? value.endIndex
                    let parsed = try Self.length(value[itemStart..<comma])
                    guard length == nil || length == parsed else { throw MalformedResponse("conflicting Content-Length values") }
                    length = parsed
                    guard comma < value.endIndex else { break }
                    itemStart = comma + 1
                }
            case .transferEncoding:
                lastCoding = field.value.lastIndex(of: UInt8(ascii: ",")).map { field.value[($0 + 1)...] } ?? field.value
            default:
                break
            }
        }
        guard let statusLine else { throw MalformedResponse("empty response head") }
        version = statusLine.version
        status = HTTPResponseStatus(statusCode: statusLine.code)
        fieldLines = fieldsStart..<max(fieldsStart, fieldsEnd)
        if let lastCoding {
            framing = HTTPBytes.equalsIgnoringCase(HTTPBytes.trimmed(lastCoding), "chunked") ? .chunked : .untilClose
        } else {
            framing = length.map { .length($0) } ?? .untilClose
        }
        fieldLinesAreForwardable = canonical && length != nil && lastCoding == nil && status.mayHaveResponseBody
    }

    /// `HTTP/1.x NNN reason`: HTTP/1.0 or, for any other minor version, 1.1; the reason phrase
    /// is not kept (the node sends the standard one, as NIO does).
    private static func statusLine(_ line: Slice<UnsafeRawBufferPointer>) throws(MalformedResponse) -> (HTTPVersion, Int) {
        let start = line.startIndex
        guard line.count >= 12, line[start..<(start + 7)].elementsEqual("HTTP/1.".utf8), isDigit(line[start + 7]),
            line[start + 8] == HTTPBytes.space, line[(start + 9)..<(start + 12)].allSatisfy(isDigit),
            line.count == 12 || line[start + 12] == HTTPBytes.space
        else { throw MalformedResponse("invalid status line") }
        let status = line[(start + 9)..<(start + 12)].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard status >= 100 else { throw MalformedResponse("status code \(status)") }
        return (line[start + 7] == UInt8(ascii: "0") ? .http1_0 : .http1_1, status)
    }

    /// One `Content-Length` value: decimal digits.
    private static func length(_ item: Slice<UnsafeRawBufferPointer>) throws(MalformedResponse) -> Int {
        let digits = HTTPBytes.trimmed(item)
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy(isDigit) else { throw MalformedResponse("invalid Content-Length") }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
