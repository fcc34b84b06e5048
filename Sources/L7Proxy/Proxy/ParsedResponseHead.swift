import NIOHTTP1

/// A target's response head read from its bytes (status line and fields, as delimited by
/// ``ResponseFieldLines``), with how its body is delimited (RFC 9112 section 6.3). Pure.
struct ParsedResponseHead {
    /// How the body ends, before the request method and status are taken into account.
    enum Framing: Equatable {
        case length(Int)
        case chunked
        /// With the connection.
        case untilClose
    }

    var head: HTTPResponseHead
    var framing: Framing

    /// `Transfer-Encoding` decides over `Content-Length`: chunked when it is the last coding,
    /// until the connection's end otherwise. Several `Content-Length` values must agree.
    init(_ bytes: UnsafeRawBufferPointer) throws(MalformedResponse) {
        let lines = ResponseFieldLines.lines(bytes)
        guard let statusLine = lines.first else { throw MalformedResponse("empty response head") }
        let (version, status) = try Self.statusLine(statusLine)
        var headers = HTTPHeaders()
        headers.reserveCapacity(lines.count)
        var length: Int?
        var lastCoding: Slice<UnsafeRawBufferPointer>?
        for line in lines.dropFirst() {
            let (kind, value) = try ResponseFieldLines.addField(line, to: &headers)
            switch kind {
            case .contentLength:
                // Each comma-separated item, read in place.
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
                lastCoding = value.lastIndex(of: UInt8(ascii: ",")).map { value[($0 + 1)...] } ?? value
            case .other:
                break
            }
        }
        head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: headers)
        if let lastCoding {
            framing = HTTPBytes.equalsIgnoringCase(HTTPBytes.trimmed(lastCoding), "chunked") ? .chunked : .untilClose
        } else {
            framing = length.map { .length($0) } ?? .untilClose
        }
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
