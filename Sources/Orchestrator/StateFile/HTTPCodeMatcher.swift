/// The HTTP status codes a health check accepts, in AWS's `HttpCode` syntax: `200`, `200,202`, `200-299`.
public struct HTTPCodeMatcher: Sendable, Equatable, CustomStringConvertible {
    public let ranges: [ClosedRange<Int>]

    /// Parses comma-separated codes and `low-high` ranges of three-digit codes; `nil` for anything else.
    public init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map(Self.code)
            switch bounds.count {
            case 1:
                guard let code = bounds[0] else { return nil }
                ranges.append(code...code)
            case 2:
                guard let low = bounds[0], let high = bounds[1], low <= high else { return nil }
                ranges.append(low...high)
            default:
                return nil
            }
        }
        self.ranges = ranges
    }

    public func matches(_ statusCode: Int) -> Bool {
        ranges.contains { $0.contains(statusCode) }
    }

    public var description: String {
        ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }

    private static func code(_ text: Substring) -> Int? {
        guard text.count == 3, text.isDecimalNumber else { return nil }
        return Int(text)
    }
}
