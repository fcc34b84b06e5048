/// The HTTP status codes a health check accepts, in AWS's `Matcher.HttpCode` syntax: `"200"`,
/// `"200,202"`, `"200-299"` or a mix. Parsing checks the syntax (three-digit codes, low ≤ high);
/// which codes a target group may name depends on its load balancer type
/// (``allowedCodes(for:)``: 200-499 for ALB target groups, 200-599 for NLB ones).
public struct HTTPCodeMatcher: Sendable, Hashable, CustomStringConvertible {
    public let ranges: [ClosedRange<Int>]

    /// Parses comma-separated codes and `low-high` ranges (blanks around items are allowed);
    /// nil for anything else.
    public init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map(Self.code)
            guard (1...2).contains(bounds.count), let low = bounds[0], let high = bounds[bounds.count - 1], low <= high
            else { return nil }
            ranges.append(low...high)
        }
        self.ranges = ranges
    }

    /// Parses `text` and requires every code to be one a `type` target group may name.
    public init?(_ text: String, for type: HealthCheckSettings.LoadBalancerType) {
        guard let matcher = HTTPCodeMatcher(text), matcher.firstDisallowedCode(for: type) == nil else { return nil }
        self = matcher
    }

    /// The codes a matcher of a `type` target group may name (AWS `Matcher.HttpCode`).
    public static func allowedCodes(for type: HealthCheckSettings.LoadBalancerType) -> ClosedRange<Int> {
        switch type {
        case .application: 200...499
        case .network: 200...599
        }
    }

    /// The first bound of a range that a `type` target group may not name, if any.
    public func firstDisallowedCode(for type: HealthCheckSettings.LoadBalancerType) -> Int? {
        let allowed = Self.allowedCodes(for: type)
        return ranges.flatMap { [$0.lowerBound, $0.upperBound] }.first { !allowed.contains($0) }
    }

    /// Whether `statusCode` counts as success.
    public func matches(_ statusCode: Int) -> Bool {
        ranges.contains { $0.contains(statusCode) }
    }

    /// The matcher in AWS's syntax, without blanks.
    public var description: String {
        ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }

    private static func code(_ text: Substring) -> Int? {
        let digits = text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }
        guard digits.count == 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(String(digits.reversed()))
    }
}
