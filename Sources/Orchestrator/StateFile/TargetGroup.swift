extension StateFile {
    /// A set of targets a listener forwards to, with the protocol, port and health check to use.
    public struct TargetGroup: Sendable, Equatable {
        public var name: String
        public var targetType: TargetType
        public var `protocol`: TrafficProtocol
        public var port: Int
        public var vpc: String
        public var healthCheck: HealthCheck?
        public var attributes: [String: String]
        public var targets: [Target]
        /// HTTP and HTTPS groups: AWS's `ProtocolVersion` (`HTTP1`, `HTTP2`, `GRPC`); `nil` means `HTTP1`.
        public var protocolVersion: String?

        public init(
            name: String, targetType: TargetType = .instance, protocol: TrafficProtocol, port: Int, vpc: String,
            healthCheck: HealthCheck? = nil, attributes: [String: String] = [:], targets: [Target] = [],
            protocolVersion: String? = nil
        ) {
            self.protocolVersion = protocolVersion
            self.name = name
            self.targetType = targetType
            self.protocol = `protocol`
            self.port = port
            self.vpc = vpc
            self.healthCheck = healthCheck
            self.attributes = attributes
            self.targets = targets
        }
    }

    /// What the ids of a target group's targets name.
    public enum TargetType: String, Sendable, Equatable, CaseIterable {
        /// Instance names.
        case instance
        /// IPv4 addresses inside the target group's VPC.
        case ip
        /// The name of one application load balancer.
        case alb
    }

    /// A registered target: an instance name, an address, or an application load balancer name.
    public struct Target: Sendable, Equatable {
        public var id: String
        /// `nil` means the target group's port.
        public var port: Int?

        public init(id: String, port: Int? = nil) {
            self.id = id
            self.port = port
        }
    }
}
