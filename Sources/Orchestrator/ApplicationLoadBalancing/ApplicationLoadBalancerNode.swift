import L7Proxy

/// One node of an Application Load Balancer: its per-AZ host and the L7 proxy configuration the
/// node's `lbnet proxy` process serves.
public struct ApplicationLoadBalancerNode: Sendable, Equatable {
    public let loadBalancer: String
    public let host: Topology.Host
    public let configuration: ProxyConfiguration

    public init(loadBalancer: String, host: Topology.Host, configuration: ProxyConfiguration) {
        self.loadBalancer = loadBalancer
        self.host = host
        self.configuration = configuration
    }

    public var name: String { host.name }
    public var availabilityZone: String { host.az }
}
