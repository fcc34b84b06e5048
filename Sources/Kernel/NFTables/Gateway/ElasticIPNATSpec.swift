/// The 1:1 NAT a VPC router does for Elastic IPs: traffic to an Elastic IP goes to its private
/// address, and traffic from that private address leaving through the internet gateway's
/// interface leaves from the Elastic IP.
public struct ElasticIPNATSpec: Hashable, Sendable {
    /// The router's interface towards the internet gateway (source NAT applies only there).
    public let internetInterface: String
    public let mappings: [ElasticIPMapping]

    public init(internetInterface: String, mappings: [ElasticIPMapping]) {
        self.internetInterface = internetInterface
        self.mappings = mappings
    }
}

/// One Elastic IP associated with one private address.
public struct ElasticIPMapping: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let elasticIP: IPv4Address
    public let privateAddress: IPv4Address

    public init(elasticIP: IPv4Address, privateAddress: IPv4Address) {
        self.elasticIP = elasticIP
        self.privateAddress = privateAddress
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.elasticIP, lhs.privateAddress) < (rhs.elasticIP, rhs.privateAddress) }

    public var description: String { "\(elasticIP) <-> \(privateAddress)" }
}
