/// Where an application load balancer's access logs go: its `access_logs.s3.bucket` and
/// `access_logs.s3.prefix` when `access_logs.s3.enabled` is `true`. lbnet stands a directory in
/// for the bucket: `STATE_DIR/access-logs/BUCKET[/PREFIX]` (``StateDirectory/accessLogPath(_:)``).
public struct AccessLogLocation: Codable, Sendable, Equatable, CustomStringConvertible {
    public static let enabledKey = "access_logs.s3.enabled"
    public static let bucketKey = "access_logs.s3.bucket"
    public static let prefixKey = "access_logs.s3.prefix"

    public let bucket: String
    /// Empty when unset: the logs go to the root of the bucket.
    public let prefix: String

    public init(bucket: String, prefix: String = "") {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// The location `attributes` enable; nil when access logs are off. The state file validator
    /// has checked the values (``AccessLogAttributeRules``).
    public init?(attributes: [String: String]) {
        guard attributes[Self.enabledKey] == "true", let bucket = attributes[Self.bucketKey] else { return nil }
        self.init(bucket: bucket, prefix: attributes[Self.prefixKey] ?? "")
    }

    /// `s3://BUCKET[/PREFIX]`, as AWS names it.
    public var description: String {
        prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
    }

    /// `BUCKET[/PREFIX]`, the path below the state directory's `access-logs`.
    public var relativePath: String {
        prefix.isEmpty ? bucket : "\(bucket)/\(prefix)"
    }
}
