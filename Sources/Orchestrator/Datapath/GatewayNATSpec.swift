import Kernel

/// A VPC's internet gateway: 1:1 NAT between each Elastic IP and the private address it is
/// associated with, on the router's link to the `internet` namespace.
public struct GatewayNATSpec: Sendable, Equatable {
    public let vpc: String
    public let namespace: String
    public let interface: String
    /// Elastic IP -> private address.
    public let mappings: [IPv4Address: IPv4Address]

    public init(vpc: String, namespace: String, interface: String, mappings: [IPv4Address: IPv4Address]) {
        self.vpc = vpc
        self.namespace = namespace
        self.interface = interface
        self.mappings = mappings
    }
}
