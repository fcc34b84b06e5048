import Health
import Kernel

/// One NLB health check to run: from which node (and its namespace) to which backend, how.
public struct HealthCheckTarget: Sendable, Hashable {
    public let node: String
    public let namespace: String
    /// The backend as health records and datapaths name it: `address:port`.
    public let key: String
    public let address: IPv4Address
    /// The backend's traffic port (the settings may name another port to check).
    public let trafficPort: Int
    public let settings: HealthCheckSettings

    public init(node: String, namespace: String, key: String, address: IPv4Address, trafficPort: Int, settings: HealthCheckSettings) {
        self.node = node
        self.namespace = namespace
        self.key = key
        self.address = address
        self.trafficPort = trafficPort
        self.settings = settings
    }

    /// The check's identity: which node checks which backend.
    var id: String { "\(node)/\(key)" }
}

/// What one NLB health check changed: the target's new health.
public struct HealthEvent: Sendable, Equatable {
    public let node: String
    public let key: String
    public let health: TargetHealth
}
