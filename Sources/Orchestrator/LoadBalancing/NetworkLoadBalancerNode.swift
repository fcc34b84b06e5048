import Kernel

/// One node of a Network Load Balancer: its per-AZ network interface (a host of its own), its
/// Elastic IP when internet-facing, and per listener the backends this node may send flows to.
public struct NetworkLoadBalancerNode: Sendable, Equatable {
    public let loadBalancer: String
    public let host: Topology.Host
    public let scheme: StateFile.LoadBalancerScheme
    /// The name of the Elastic IP this node uses (from `subnetMappings[].allocationId`, or one
    /// lbnet allocates, named after the node); `nil` for internal load balancers.
    public let elasticIPName: String?
    public var elasticIP: ElasticIPAllocation?
    public let datapath: StateFile.Datapath
    public let scheduler: StateFile.Scheduler
    public let listeners: [Listener]
    /// The PrivateLink interface endpoints that reach the node's endpoint service through it
    /// (pending ones included; only available ones carry traffic).
    public var endpointConnections: [InterfaceEndpoint] = []
    /// The TCP listeners' `tcp.idle_timeout.seconds` (the validator keeps it one per load balancer).
    public var tcpIdleTimeout = Self.defaultTCPIdleTimeout

    /// AWS's default `tcp.idle_timeout.seconds`.
    public static let defaultTCPIdleTimeout: UInt32 = 350

    /// A TCP or UDP listener and what it forwards to, seen from this node.
    public struct Listener: Sendable, Equatable {
        public let `protocol`: StateFile.TrafficProtocol
        public let port: Int
        public let targetGroup: String
        /// Whether this node may use targets in every AZ (the target group's attribute, or the LB's).
        public let crossZone: Bool
        public let backends: [Backend]
        /// The target group's `stickiness.enabled` (of type `source_ip`): every flow from one
        /// client address goes to the same target while it stays in rotation.
        public var sourceIPStickiness = false
        /// The target group's `target_health_state.unhealthy.connection_termination.enabled`:
        /// the flows of a target that turns unhealthy are cut.
        public var unhealthyTermination = false
        /// The target group's `preserve_client_ip.enabled` (AWS's default for its type and
        /// protocol): targets see the client's address (through the terminator too, whose
        /// sockets are then transparent), and their answers return through the node.
        public var preservesClientAddress = false
        /// The target group's `proxy_protocol_v2.enabled`: each connection reaches its target
        /// through the node's terminator, after a PROXY protocol v2 header.
        public var proxyProtocol = false

        /// Whether the node's terminator ends the clients' connections (``NodeTerminator``):
        /// TLS listeners and those whose group takes proxy protocol.
        public var isTerminated: Bool { self.protocol == .tls || proxyProtocol }
    }

    /// A registered target as this node sees it (for an `alb` target group: one of the ALB's nodes).
    public struct Backend: Sendable, Hashable {
        public let targetId: String
        public let address: IPv4Address
        public let port: Int
        public let availabilityZone: String

        /// How health records and datapaths name it: `address:port`.
        public var key: String { "\(address):\(port)" }
    }

    public var name: String { host.name }
    public var availabilityZone: String { host.az }
}
