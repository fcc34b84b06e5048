/// An AWS rule pattern: `*` matches any run of characters (also none), `?` exactly one, and
/// every other character itself, optionally ignoring ASCII case. Matching works on UTF-8 bytes
/// (request targets and header values are ASCII on the wire) and never allocates.
struct WildcardPattern: Sendable, Equatable {
    private static let star = UInt8(ascii: "*")
    private static let question = UInt8(ascii: "?")

    private let pattern: [UInt8]
    private let caseInsensitive: Bool

    init(_ pattern: String, caseInsensitive: Bool) {
        self.pattern = caseInsensitive ? pattern.utf8.map(Self.lowercased) : Array(pattern.utf8)
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
            let byte = caseInsensitive ? Self.lowercased(text[textIndex]) : text[textIndex]
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
