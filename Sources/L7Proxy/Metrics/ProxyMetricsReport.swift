/// What a running `lbnet proxy` answers to `{"op":"metrics"}` on its control socket: the
/// node's counters since it started (connections, bytes, requests by target group and status
/// class, target response times) and its targets' health. The daemon turns these into
/// CloudWatch's `AWS/ApplicationELB` metrics.
public struct ProxyMetricsReport: Codable, Sendable, Equatable {
    public var nodeName: String
    public var availabilityZone: String
    /// Open TCP connections, from clients to the node and from the node to targets.
    public var activeConnections: Int
    /// TCP connections opened since the start, from clients and to targets.
    public var newConnections: Int
    /// Bytes received from and sent to clients (HTTP heads and bodies).
    public var processedBytes: Int
    /// Connections refused because the node was at its connection limit. lbnet's proxy has no
    /// such limit, so this stays 0.
    public var rejectedConnections: Int
    /// Requests answered, by the target group they were routed to (`nil`: none).
    public var requests: [RequestCounts]
    /// Every target's health as this node's checks see it.
    public var targets: [TargetHealthReport]

    public init(nodeName: String, availabilityZone: String, activeConnections: Int = 0, newConnections: Int = 0,
                processedBytes: Int = 0, rejectedConnections: Int = 0, requests: [RequestCounts] = [],
                targets: [TargetHealthReport] = []) {
        self.nodeName = nodeName
        self.availabilityZone = availabilityZone
        self.activeConnections = activeConnections
        self.newConnections = newConnections
        self.processedBytes = processedBytes
        self.rejectedConnections = rejectedConnections
        self.requests = requests
        self.targets = targets
    }
}
