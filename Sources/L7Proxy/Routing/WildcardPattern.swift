/// An AWS rule pattern: `*` matches any run of characters (also none), `?` exactly one, and
/// every other character itself, optionally ignoring ASCII case. With `escapes` (query-string
/// conditions), `\*` and `\?` stand for a literal `*` and `?`, as AWS documents. Matching works
/// on UTF-8 bytes (request targets and header values are ASCII on the wire) and never allocates.
struct WildcardPattern: Sendable, Equatable {
    /// Pattern elements: a byte, or one of the two wildcards (outside the byte range).
    private static let star: UInt16 = 0x100
    private static let question: UInt16 = 0x101

    private let pattern: [UInt16]
    private let caseInsensitive: Bool

    init(_ pattern: String, caseInsensitive: Bool, escapes: Bool = false) {
        var elements: [UInt16] = []
        var bytes = pattern.utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "*"): elements.append(Self.star)
            case UInt8(ascii: "?"): elements.append(Self.question)
            case UInt8(ascii: "\\") where escapes:
                guard let next = bytes.next() else {
                    elements.append(UInt16(byte))
                    break
                }
                if next != UInt8(ascii: "*"), next != UInt8(ascii: "?") { elements.append(UInt16(byte)) }
                elements.append(UInt16(caseInsensitive ? Self.lowercased(next) : next))
            default: elements.append(UInt16(caseInsensitive ? Self.lowercased(byte) : byte))
            }
        }
        self.pattern = elements
        self.caseInsensitive = caseInsensitive
    }

    func matches(_ text: some StringProtocol) -> Bool {
        if let result = text.utf8.withContiguousStorageIfAvailable({ matches(bytes: $0) }) {
            return result
        }
        return matches(bytes: Array(text.utf8))
    }

    /// Linear scan that backtracks only to the most recent `*`, which is enough because a later
    /// `*` can absorb whatever an earlier one would have.
    private func matches(bytes text: some RandomAccessCollection<UInt8>) -> Bool {
        var patternIndex = 0
        var textIndex = text.startIndex
        var lastStar: Int?
        var textAfterStar = text.startIndex
        while textIndex != text.endIndex {
            let byte = UInt16(caseInsensitive ? Self.lowercased(text[textIndex]) : text[textIndex])
            if patternIndex < pattern.count, pattern[patternIndex] == Self.question || pattern[patternIndex] == byte,
                pattern[patternIndex] != Self.star
            {
                patternIndex += 1
                textIndex = text.index(after: textIndex)
            } else if patternIndex < pattern.count, pattern[patternIndex] == Self.star {
                lastStar = patternIndex
                textAfterStar = textIndex
                patternIndex += 1
            } else if let star = lastStar {
                patternIndex = star + 1
                textAfterStar = text.index(after: textAfterStar)
                textIndex = textAfterStar
            } else {
                return false
            }
        }
        while patternIndex < pattern.count, pattern[patternIndex] == Self.star { patternIndex += 1 }
        return patternIndex == pattern.count
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
