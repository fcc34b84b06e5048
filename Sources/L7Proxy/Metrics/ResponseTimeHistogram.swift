/// A histogram of response times in seconds with fixed upper bounds: per bucket the number of
/// observations above the previous bound and at most this one (the last bucket is `+Inf`),
/// and their exact sum.
public struct ResponseTimeHistogram: Codable, Sendable, Equatable {
    /// Upper bounds in seconds, ascending; observations above the last one go to `+Inf`.
    public static let upperBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// Observations per bucket (not cumulative), `upperBounds.count + 1` of them.
    public var buckets: [Int]
    public var sum: Double

    public init() {
        buckets = [Int](repeating: 0, count: Self.upperBounds.count + 1)
        sum = 0
    }

    public var count: Int { buckets.reduce(0, +) }

    mutating func observe(_ seconds: Double) {
        let index = Self.upperBounds.firstIndex { seconds <= $0 } ?? Self.upperBounds.count
        buckets[index] += 1
        sum += seconds
    }

    public mutating func add(_ other: ResponseTimeHistogram) {
        for index in buckets.indices where index < other.buckets.count { buckets[index] += other.buckets[index] }
        sum += other.sum
    }
}
