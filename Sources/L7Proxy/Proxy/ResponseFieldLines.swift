import NIOCore
import NIOHTTP1

/// The line-level reading of a target's response head and trailer section (RFC 9112 section
/// 5): where a section ends, its lines, and its field lines, strictly (no line folding, no
/// whitespace before the colon, no control characters in values). Pure.
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

    /// One line of a section: its bytes without the line end, and where the next line starts.
    struct Line {
        var bytes: Slice<UnsafeRawBufferPointer>
        /// The index after the line's LF.
        var next: Int
        /// Whether the line ended in CRLF rather than a bare LF.
        var endsInCRLF: Bool
    }

    /// Calls `body` with each line of a section as delimited by
    /// ``sectionLength(in:limit:)``, stopping at the final empty line, which it returns the
    /// index of (the end of the bytes if there is none).
    @discardableResult
    static func forEachLine<Failure: Error>(
        _ bytes: UnsafeRawBufferPointer, from start: Int = 0, _ body: (Line) throws(Failure) -> Void
    ) throws(Failure) -> Int {
        var lineStart = start
        var index = start
        while index < bytes.count {
            if bytes[index] == HTTPBytes.lf {
                let crlf = index > lineStart && bytes[index - 1] == HTTPBytes.cr
                let end = crlf ? index - 1 : index
                if end == lineStart { return lineStart }
                try body(Line(bytes: bytes[lineStart..<end], next: index + 1, endsInCRLF: crlf))
                lineStart = index + 1
            }
            index += 1
        }
        return bytes.count
    }

    /// A field line that passed ``check(_:)``.
    struct Field {
        var kind: ForwardingFieldName
        var name: Slice<UnsafeRawBufferPointer>
        /// Without surrounding whitespace.
        var value: Slice<UnsafeRawBufferPointer>
        /// Whether the line is exactly `name: value` with a value: one space after the colon,
        /// none at the end.
        var isCanonical: Bool
    }

    /// Checks one field line: a token name, a colon, and a value without control characters.
    static func check(_ line: Slice<UnsafeRawBufferPointer>) throws(MalformedResponse) -> Field {
        guard let first = line.first, !HTTPBytes.isWhitespace(first) else { throw MalformedResponse("folded header line") }
        guard let colon = line.firstIndex(of: HTTPBytes.colon) else { throw MalformedResponse("header line without a colon") }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(HTTPToken.isTokenByte) else { throw MalformedResponse("invalid header name") }
        let value = HTTPBytes.trimmed(line[(colon + 1)...])
        guard !value.contains(where: HTTPBytes.isControl) else { throw MalformedResponse("control character in a header value") }
        let isCanonical = !value.isEmpty && value.startIndex == colon + 2 && line[colon + 1] == HTTPBytes.space
            && value.endIndex == line.endIndex
        return Field(kind: ForwardingFieldName(bytes: name), name: name, value: value, isCanonical: isCanonical)
    }

    /// The fields of lines that passed ``check(_:)``, as NIO's type; without `Content-Length`
    /// when `droppingLength`.
    static func decode(_ bytes: UnsafeRawBufferPointer, from start: Int = 0, droppingLength: Bool = false) -> HTTPHeaders {
        var headers = HTTPHeaders()
        forEachLine(bytes, from: start) { line in
            // Checked: the colon is there and the name before it is a token.
            guard let colon = line.bytes.firstIndex(of: HTTPBytes.colon) else { return }
            let name = line.bytes[line.bytes.startIndex..<colon]
            if droppingLength, HTTPBytes.equalsIgnoringCase(name, "content-length") { return }
            headers.add(name: String(decoding: name, as: UTF8.self),
                        value: String(decoding: HTTPBytes.trimmed(line.bytes[(colon + 1)...]), as: UTF8.self))
        }
        return headers
    }

    /// A chunked body's trailer section: nil when it has no fields.
    static func trailers(_ bytes: UnsafeRawBufferPointer) throws(MalformedResponse) -> HTTPHeaders? {
        var count = 0
        try forEachLine(bytes) { (line) throws(MalformedResponse) in
            _ = try check(line.bytes)
            count += 1
        }
        return count == 0 ? nil : decode(bytes)
    }
}
