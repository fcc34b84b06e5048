/// Where an ALB node writes its access log files: the directory standing in for the S3 bucket
/// and prefix, under which the node keeps AWS's layout
/// (`AWSLogs/ACCOUNT/elasticloadbalancing/REGION/yyyy/mm/dd/FILE.log.gz`, see ``AccessLogFileName``).
/// Account, region and load balancer id come from the configuration's `loadBalancerArn`.
public struct AccessLogConfiguration: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case directory, nodeAddress
    }

    /// Absolute path standing in for `s3://bucket[/prefix]`.
    public var directory: String
    /// The node's private IPv4 address: the `ip-address` part of file names.
    public var nodeAddress: String

    public init(directory: String, nodeAddress: String) {
        self.directory = directory
        self.nodeAddress = nodeAddress
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        directory = try container.decode(String.self, forKey: .directory)
        nodeAddress = try container.decode(String.self, forKey: .nodeAddress)
    }
}

