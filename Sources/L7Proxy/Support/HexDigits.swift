/// Writes short fixed-format ASCII ids (trace ids) straight into a new string's bytes: one
/// allocation per id instead of a string per field.
enum HexDigits {
    /// Writes the low `width` hexadecimal digits of `value` (lowercase, zero-padded) at
    /// `offset`; returns the offset after them.
    static func write(_ value: UInt64, width: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        var rest = value
        for index in stride(from: offset + width - 1, through: offset, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: rest & 0xF)
            bytes[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            rest >>= 4
        }
        return offset + width
    }

    /// Writes the ASCII `text` at `offset`; returns the offset after it.
    static func write(_ text: StaticString, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        text.withUTF8Buffer { text in
            for (index, byte) in text.enumerated() { bytes[offset + index] = byte }
            return offset + text.count
        }
    }
}
