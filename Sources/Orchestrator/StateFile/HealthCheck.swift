import Health
extension StateFile {
    /// How a target group probes its targets; unset fields take AWS's defaults for the group's type.
    public struct HealthCheck: Sendable, Equatable {
        public var `protocol`: HealthCheckProtocol?
        public var port: HealthCheckPort?
        public var path: String?
        public var intervalSeconds: Int?
        public var timeoutSeconds: Int?
        public var healthyThresholdCount: Int?
        public var unhealthyThresholdCount: Int?
        public var matcher: HTTPCodeMatcher?

        public init(
            protocol: HealthCheckProtocol? = nil, port: HealthCheckPort? = nil, path: String? = nil,
            intervalSeconds: Int? = nil, timeoutSeconds: Int? = nil, healthyThresholdCount: Int? = nil,
            unhealthyThresholdCount: Int? = nil, matcher: HTTPCodeMatcher? = nil
        ) {
            self.protocol = `protocol`
            self.port = port
            self.path = path
            self.intervalSeconds = intervalSeconds
            self.timeoutSeconds = timeoutSeconds
            self.healthyThresholdCount = healthyThresholdCount
            self.unhealthyThresholdCount = unhealthyThresholdCount
            self.matcher = matcher
        }
    }

    /// The protocol of a health check probe.
    public enum HealthCheckProtocol: String, Sendable, Equatable, CaseIterable {
        case http = "HTTP"
        case https = "HTTPS"
        case tcp = "TCP"
    }

    /// The port a health check probes: each target's traffic port, or a fixed one.
    public enum HealthCheckPort: Sendable, Equatable, CustomStringConvertible {
        case trafficPort
        case port(Int)

        public var description: String {
            switch self {
            case .trafficPort: "traffic-port"
            case .port(let port): String(port)
            }
        }
    }
}
