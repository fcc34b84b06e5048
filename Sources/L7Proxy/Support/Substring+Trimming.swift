extension Substring {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    /// Works on the UTF-8 bytes (no grapheme breaking): the first and last bytes kept are a
    /// scalar's first and last, as the bytes around them are ASCII blanks.
    var trimmingWhitespace: Substring {
        let bytes = utf8
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex...]
        }
        return self[first..<bytes.index(after: last)]
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingWhitespace: Substring { self[...].trimmingWhitespace }
}
