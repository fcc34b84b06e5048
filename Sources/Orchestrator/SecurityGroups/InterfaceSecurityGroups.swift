import Kernel

/// The security groups of one network interface and the filter they make in its namespace.
public struct InterfaceSecurityGroups: Sendable, Equatable {
    /// The host owning the interface (an instance, a load balancer node, an endpoint interface).
    public let host: String
    public let namespace: String
    public let filter: SecurityGroupFilterSpec

    public init(host: String, namespace: String, filter: SecurityGroupFilterSpec) {
        self.host = host
        self.namespace = namespace
        self.filter = filter
    }

    public var groups: [String] { filter.groups }
}
