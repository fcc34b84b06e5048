/// A health check success matcher: `"200"`, `"200,202"`, `"200-299"` or a mix.
public struct HTTPCodeMatcher: Sendable, Equatable {
    /// Codes an ALB health check matcher may name.
    public static let allowedCodes = 200...499

    let ranges: [ClosedRange<Int>]

    /// Parses AWS's matcher syntax; nil when malformed or outside ``allowedCodes``.
    public init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.trimmingWhitespace.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count),
                let low = Self.code(bounds[0]), let high = Self.code(bounds[bounds.count - 1]), low <= high
            else { return nil }
            ranges.append(low...high)
        }
        self.ranges = ranges
    }

    /// Whether `code` counts as success.
    public func matches(_ code: Int) -> Bool {
        ranges.contains { $0.contains(code) }
    }

    private static func code(_ text: Substring) -> Int? {
        guard text.count == 3, text.allSatisfy(\.isASCII), let code = Int(text), allowedCodes.contains(code)
        else { return nil }
        return code
    }
}
