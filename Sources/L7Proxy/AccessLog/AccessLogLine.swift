import Foundation

/// Builds access log lines byte by byte, with the field formats AWS uses: UTC timestamps
/// with microseconds, seconds with milliseconds, and double-quoted fields with escapes.
struct AccessLogLine {
    /// What was appended so far: one line, or several for a writer that gathers them.
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 384) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Ends a line, for a writer that gathers several.
    mutating func appendNewline() {
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Empties the buffer, keeping its capacity.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// The number in decimal, `-` when absent.
    mutating func appendNumber(_ value: Int?) {
        guard let value else { return append("-") }
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(value.magnitude, width: 1)
        } else {
            appendDigits(UInt(value), width: 1)
        }
    }

    /// `2018-07-02T22:23:00.186641Z`: UTC with microseconds.
    mutating func appendTimestamp(_ date: Date) {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        appendNumber(Int(parts.tm_year) + 1900)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(UInt(parts.tm_mon + 1), width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(UInt(parts.tm_mday), width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(UInt(parts.tm_hour), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(UInt(parts.tm_min), width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(UInt(parts.tm_sec), width: 2)
        bytes.append(UInt8(ascii: "."))
        appendDigits(UInt(micros), width: 6)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Seconds with millisecond precision, `-1` when unknown (AWS's convention).
    mutating func appendSeconds(_ value: Double?) {
        guard let value else { return append("-1") }
        let millis = UInt((max(0, value) * 1000).rounded())
        appendDigits(millis / 1000, width: 1)
        bytes.append(UInt8(ascii: "."))
        appendDigits(millis % 1000, width: 3)
    }

    /// A double-quoted field, `"-"` when absent or empty; double quotes, backslashes and control
    /// characters inside are written as `\xNN` (so a field never holds a `"`, as AWS's own parsing
    /// patterns expect); at most `maxBytes` bytes of `value` are kept.
    mutating func appendQuoted(_ value: String?, maxBytes: Int = .max) {
        guard let value, !value.isEmpty else { return append("\"-\"") }
        bytes.append(UInt8(ascii: "\""))
        // A native string's bytes are read in place, not through `String.Index`.
        if value.utf8.withContiguousStorageIfAvailable({ appendEscaped($0.prefix(maxBytes)) }) == nil {
            appendEscaped(value.utf8.prefix(maxBytes))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The request line, double-quoted and escaped as ``appendQuoted(_:maxBytes:)`` escapes.
    mutating func appendQuoted(_ request: AccessLogRequestLine) {
        bytes.append(UInt8(ascii: "\""))
        request.appendPieces { piece in
            if piece.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) == nil {
                appendEscaped(piece.utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ value: some Collection<UInt8>) {
        for byte in value {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0x7F {
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "x"), Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0xF)])
            } else {
                bytes.append(byte)
            }
        }
    }

    /// `value` in decimal, zero-padded to at least `width` digits.
    private mutating func appendDigits(_ value: UInt, width: Int) {
        var divisor: UInt = 1
        var digits = 1
        while digits < width || value / divisor >= 10 {
            divisor *= 10
            digits += 1
        }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
