import NIOCore
import NIOHTTP1

/// The line-level reading of a target's response head and trailer section (RFC 9112 section
/// 5): where a section ends, and its field lines, strictly (no line folding, no whitespace
/// before the colon, no control characters in values). Pure.
enum ResponseFieldLines {
    /// The length of the section at the start of `input` through its empty line (lines end in
    /// LF or CRLF), nil while incomplete. Throws once `limit` bytes hold no end.
    static func sectionLength(in input: ByteBuffer, limit: Int) throws(MalformedResponse) -> Int? {
        let length = input.withUnsafeReadableBytes { bytes -> Int? in
            var lineStart = 0
            var index = 0
            while index < bytes.count {
                if bytes[index] == HTTPBytes.lf {
                    let end = index > lineStart && bytes[index - 1] == HTTPBytes.cr ? index - 1 : index
                    if end == lineStart { return index + 1 }
                    lineStart = index + 1
                }
                index += 1
            }
            return nil
        }
        if let length, length <= limit { return length }
        if length != nil || input.readableBytes > limit { throw MalformedResponse("head or trailers over \(limit) bytes") }
        return nil
    }

    /// The lines of a section as delimited by ``sectionLength(in:limit:)``, without line ends and
    /// without the final empty line.
    static func lines(_ bytes: UnsafeRawBufferPointer) -> [Slice<UnsafeRawBufferPointer>] {
        var lines: [Slice<UnsafeRawBufferPointer>] = []
        lines.reserveCapacity(16)
        var lineStart = 0
        for index in bytes.indices where bytes[index] == HTTPBytes.lf {
            let end = index > lineStart && bytes[index - 1] == HTTPBytes.cr ? index - 1 : index
            if end == lineStart { break }
            lines.append(bytes[lineStart..<end])
            lineStart = index + 1
        }
        return lines
    }

    /// What a field is to the reader.
    enum FieldKind { case contentLength, transferEncoding, other }

    /// Adds one field line to `headers`; returns what it is and its value (trimmed).
    @discardableResult
    static func addField(
        _ line: Slice<UnsafeRawBufferPointer>, to headers: inout HTTPHeaders
    ) throws(MalformedResponse) -> (FieldKind, Slice<UnsafeRawBufferPointer>) {
        guard let first = line.first, !HTTPBytes.isWhitespace(first) else { throw MalformedResponse("folded header line") }
        guard let colon = line.firstIndex(of: HTTPBytes.colon) else { throw MalformedResponse("header line without a colon") }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(HTTPToken.isTokenByte) else { throw MalformedResponse("invalid header name") }
        let value = HTTPBytes.trimmed(line[(colon + 1)...])
        guard !value.contains(where: HTTPBytes.isControl) else { throw MalformedResponse("control character in a header value") }
        headers.add(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        let kind: FieldKind =
            if HTTPBytes.equalsIgnoringCase(name, "content-length") { .contentLength }
            else if HTTPBytes.equalsIgnoringCase(name, "transfer-encoding") { .transferEncoding }
            else { .other }
        return (kind, value)
    }

    /// A chunked body's trailer section: nil when it has no fields.
    static func trailers(_ bytes: UnsafeRawBufferPointer) throws(MalformedResponse) -> HTTPHeaders? {
        let lines = lines(bytes)
        guard !lines.isEmpty else { return nil }
        var trailers = HTTPHeaders()
        for line in lines { try addField(line, to: &trailers) }
        return trailers
    }
}
