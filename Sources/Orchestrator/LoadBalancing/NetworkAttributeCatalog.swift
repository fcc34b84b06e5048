/// Every attribute AWS lists for Network Load Balancers, their listeners and their target groups
/// (the ELBv2 API reference's `LoadBalancerAttribute`, `ListenerAttribute` and
/// `TargetGroupAttribute`), with its values, its default and what lbnet does with it. The
/// default is AWS's, except where lbnet does otherwise whatever the file says: a TLS target
/// group's `preserve_client_ip.enabled` is `false`, as lbnet's TLS terminator connects to
/// targets from the node's address.
public enum NetworkAttributeCatalog: AttributeCatalog {
    public static let loadBalancerType = "network"

    /// What an attribute belongs to.
    public enum Scope: String, Sendable, CaseIterable {
        case loadBalancer = "Load balancer"
        case listener = "Listener"
        case targetGroup = "Target group"
    }

    /// The values AWS accepts.
    public enum Values: Sendable, Equatable {
        case boolean
        case integer(ClosedRange<Int>)
        case choice([String])
        /// `off` or an integer in the range.
        case offOrInteger(ClosedRange<Int>)
        /// `0` (off) or an integer in the range.
        case zeroOrInteger(ClosedRange<Int>)
        /// Any text (checked elsewhere, e.g. the access-log rules).
        case text
    }

    /// What lbnet does with an attribute.
    public enum Support: Sendable, Equatable {
        /// lbnet does what AWS does with every value.
        case implemented
        /// lbnet accepts only AWS's default and refuses any other value, naming the attribute.
        case defaultOnly
        /// Checked by ``AccessLogAttributeRules`` (shared with application load balancers).
        case accessLogRules
        /// For target groups of Lambda functions, which lbnet does not have: refused by name.
        case lambdaTargetsOnly
    }

    /// What an attribute's default depends on.
    public struct Context: Sendable {
        public var scheme: StateFile.LoadBalancerScheme = .internetFacing
        public var `protocol`: StateFile.TrafficProtocol = .tcp
        public var targetType: StateFile.TargetType = .instance

        public init(scheme: StateFile.LoadBalancerScheme = .internetFacing, protocol: StateFile.TrafficProtocol = .tcp,
                    targetType: StateFile.TargetType = .instance) {
            self.scheme = scheme
            self.protocol = `protocol`
            self.targetType = targetType
        }

        var isUDP: Bool { self.protocol == .udp || self.protocol == .tcpUDP }

        /// AWS's `preserve_client_ip.enabled` default: on for UDP and TCP_UDP (always) and for
        /// `instance` targets, off for `ip` targets of TCP and TLS; `alb` targets always see the client.
        var preservesClientAddress: Bool {
            isUDP || targetType == .instance || targetType == .alb
        }
    }

    /// One attribute: its name, scope, values, AWS's default in a context, and lbnet's support.
    public struct Attribute: Sendable {
        public let name: String
        public let scope: Scope
        public let values: Values
        public let support: Support
        /// The default, as a describe call answers it.
        public let defaultValue: @Sendable (Context) -> String

        init(_ name: String, _ scope: Scope, _ values: Values, _ support: Support,
             defaultIn defaultValue: @escaping @Sendable (Context) -> String) {
            self.name = name
            self.scope = scope
            self.values = values
            self.support = support
            self.defaultValue = defaultValue
        }

        init(_ name: String, _ scope: Scope, _ values: Values, _ support: Support, default value: String) {
            self.init(name, scope, values, support) { _ in value }
        }
    }

    public static let deletionProtection = "deletion_protection.enabled"
    public static let crossZone = "load_balancing.cross_zone.enabled"
    public static let idleTimeout = "tcp.idle_timeout.seconds"
    public static let deregistrationDelay = "deregistration_delay.timeout_seconds"
    public static let deregistrationTermination = "deregistration_delay.connection_termination.enabled"
    public static let stickinessEnabled = "stickiness.enabled"
    public static let stickinessType = "stickiness.type"
    public static let preserveClientIP = "preserve_client_ip.enabled"
    public static let proxyProtocol = "proxy_protocol_v2.enabled"
    public static let unhealthyTermination = "target_health_state.unhealthy.connection_termination.enabled"
    public static let unhealthyDrainingInterval = "target_health_state.unhealthy.draining_interval_seconds"

    /// Target group health (DNS failover and unhealthy state routing), the same for both load
    /// balancer types: lbnet keeps AWS's defaults (no DNS failover to act on, one healthy target).
    public static let targetGroupHealth: [Attribute] = [
        Attribute("target_group_health.dns_failover.minimum_healthy_targets.count", .targetGroup,
                  .offOrInteger(1...500), .defaultOnly, default: "1"),
        Attribute("target_group_health.dns_failover.minimum_healthy_targets.percentage", .targetGroup,
                  .offOrInteger(1...100), .defaultOnly, default: "off"),
        Attribute("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", .targetGroup,
                  .integer(1...500), .defaultOnly, default: "1"),
        Attribute("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", .targetGroup,
                  .offOrInteger(1...100), .defaultOnly, default: "off"),
    ]

    public static let all: [Attribute] = [
        Attribute(deletionProtection, .loadBalancer, .boolean, .implemented, default: "false"),
        Attribute(crossZone, .loadBalancer, .boolean, .implemented, default: "false"),
        Attribute("access_logs.s3.enabled", .loadBalancer, .boolean, .accessLogRules, default: "false"),
        Attribute("access_logs.s3.bucket", .loadBalancer, .text, .accessLogRules, default: ""),
        Attribute("access_logs.s3.prefix", .loadBalancer, .text, .accessLogRules, default: ""),
        Attribute("ipv6.deny_all_igw_traffic", .loadBalancer, .boolean, .defaultOnly) { $0.scheme == .internal ? "true" : "false" },
        Attribute("zonal_shift.config.enabled", .loadBalancer, .boolean, .defaultOnly, default: "false"),
        Attribute("dns_record.client_routing_policy", .loadBalancer,
                  .choice(["availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone"]),
                  .defaultOnly, default: "any_availability_zone"),
        Attribute("secondary_ips.auto_assigned.per_subnet", .loadBalancer, .integer(0...7), .defaultOnly, default: "0"),

        Attribute(idleTimeout, .listener, .integer(60...6000), .implemented, default: "350"),

        Attribute(deregistrationDelay, .targetGroup, .integer(0...3600), .implemented, default: "300"),
        Attribute(deregistrationTermination, .targetGroup, .boolean, .implemented) { $0.isUDP ? "true" : "false" },
        Attribute(stickinessEnabled, .targetGroup, .boolean, .implemented, default: "false"),
        Attribute(stickinessType, .targetGroup, .choice(["source_ip"]), .implemented, default: "source_ip"),
        Attribute(crossZone, .targetGroup, .choice(["true", "false", "use_load_balancer_configuration"]), .implemented,
                  default: "use_load_balancer_configuration"),
        Attribute(preserveClientIP, .targetGroup, .boolean, .implemented) { $0.preservesClientAddress ? "true" : "false" },
        Attribute(proxyProtocol, .targetGroup, .boolean, .implemented, default: "false"),
        Attribute(unhealthyTermination, .targetGroup, .boolean, .implemented) { $0.isUDP ? "false" : "true" },
        Attribute(unhealthyDrainingInterval, .targetGroup, .integer(0...360_000), .defaultOnly, default: "0"),
    ] + targetGroupHealth

    /// Whether `value` is one of `values`.
    static func accepts(_ values: Values, _ value: String) -> Bool {
        switch values {
        case .boolean: value == "true" || value == "false"
        case .integer(let range): Int(value).map(range.contains) ?? false
        case .choice(let choices): choices.contains(value)
        case .offOrInteger(let range): value == "off" || (Int(value).map(range.contains) ?? false)
        case .zeroOrInteger(let range): value == "0" || (Int(value).map(range.contains) ?? false)
        case .text: true
        }
    }

    /// How AWS's documentation states `values`.
    static func describe(_ values: Values) -> String {
        switch values {
        case .boolean: "true or false"
        case .integer(let range): "an integer in \(range.lowerBound)-\(range.upperBound)"
        case .choice(let choices): choices.joined(separator: ", ")
        case .offOrInteger(let range): "off or an integer in \(range.lowerBound)-\(range.upperBound)"
        case .zeroOrInteger(let range): "0 or an integer in \(range.lowerBound)-\(range.upperBound)"
        case .text: "text"
        }
    }
}
