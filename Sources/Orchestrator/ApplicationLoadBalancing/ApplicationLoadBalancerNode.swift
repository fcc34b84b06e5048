import L7Proxy

/// One node of an Application Load Balancer: its per-AZ host and the L7 proxy configuration the
/// node's `lbnet proxy` process serves.
public struct ApplicationLoadBalancerNode: Sendable, Equatable {
    public let loadBalancer: String
    public let host: Topology.Host
    public let configuration: ProxyConfiguration
    /// Where the load balancer's access logs go; nil when they are off.
    public let accessLogLocation: AccessLogLocation?

    public init(loadBalancer: String, host: Topology.Host, configuration: ProxyConfiguration,
                accessLogLocation: AccessLogLocation? = nil) {
        self.loadBalancer = loadBalancer
        self.host = host
        self.configuration = configuration
        self.accessLogLocation = accessLogLocation
    }

    public var name: String { host.name }
    public var availabilityZone: String { host.az }
}
