/// Byte classes of HTTP/1.1 (RFC 9110 section 5.6) and the byte-level helpers used when reading
/// requests and responses.
enum HTTPBytes {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")

    /// NUL, CR and LF: never valid inside a field; a request holding one is crafted or broken.
    static func isBad(_ byte: UInt8) -> Bool { byte == 0 || byte == cr || byte == lf }

    /// A control character other than horizontal tab, or DEL.
    static func isControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != tab) || byte == 0x7F }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// `bytes` without the spaces and tabs around them.
    static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        var bytes = bytes
        while let first = bytes.first, isWhitespace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isWhitespace(last) { bytes = bytes.dropLast() }
        return bytes
    }

    /// Whether `bytes` spell `lowercase` with its ASCII letters in any case (header names,
    /// codings): `Content-Length` and `content-length` alike, no other byte folded.
    static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        return zip(bytes, expected).allSatisfy { byte, wanted in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == wanted : byte == wanted
        }
    }

    /// What AWS calls a valid header name for `routing.http.drop_invalid_header_fields.enabled`:
    /// letters, digits and hyphens.
    static func isValidHeaderNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "-"): true
        default: false
        }
    }
}
