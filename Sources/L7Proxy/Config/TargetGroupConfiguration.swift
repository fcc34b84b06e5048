import Health

/// A target group: its targets, how requests are spread over them, and how they are checked.
public struct TargetGroupConfiguration: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, `protocol`, port, algorithm, crossZoneEnabled, healthCheck, deregistrationDelaySeconds, targets, arn, stickiness, slowStartSeconds,
             protocolVersion
    }

    /// The target group protocols lbnet's proxy speaks to targets.
    public enum TargetProtocol: String, Codable, Sendable {
        case http = "HTTP"
        /// TLS to the targets, their certificates not verified (as AWS does).
        case https = "HTTPS"
    }

    /// AWS's `ProtocolVersion` of a target group: how requests reach its targets.
    public enum ProtocolVersion: String, Codable, Sendable {
        /// HTTP/1.1, whatever the client spoke (AWS's default).
        case http1 = "HTTP1"
        /// HTTP/2 (over TLS with ALPN `h2` for HTTPS groups, cleartext with prior knowledge for
        /// HTTP ones); only HTTP/2 clients' requests are forwarded, others get 464.
        case http2 = "HTTP2"
    }

    /// AWS's `load_balancing.algorithm.type` values.
    public enum Algorithm: String, Codable, Sendable {
        case roundRobin = "round_robin"
        case leastOutstandingRequests = "least_outstanding_requests"
        /// A target drawn at random, in proportion to its weight (and slow-start share).
        case weightedRandom = "weighted_random"
    }

    /// Unique name, used by forward actions.
    public var name: String
    /// The protocol to targets: `HTTP` or `HTTPS`.
    public var `protocol`: TargetProtocol
    /// The port of targets registered without one, and the default health check port.
    public var port: Int
    /// `round_robin` (default) or `least_outstanding_requests`.
    public var algorithm: Algorithm
    /// Whether the node may use targets in other zones (default true, as for ALBs).
    public var crossZoneEnabled: Bool
    /// How targets are checked.
    public var healthCheck: HealthCheckConfiguration
    /// How long a deregistered target drains before it is unused (AWS default 300 s).
    public var deregistrationDelaySeconds: Int
    /// The registered targets.
    public var targets: [TargetConfiguration]
    /// The target group's ARN, the `target_group_arn` of access log lines (its name when absent).
    public var arn: String?
    /// Cookie stickiness (`stickiness.*`); nil when off.
    public var stickiness: TargetStickiness?
    /// `slow_start.duration_seconds`: 0 (off) or 30-900; a target that turns healthy gets a
    /// share of requests that grows linearly to its full share over this time.
    public var slowStartSeconds: Int
    /// `HTTP1` when nil.
    public var protocolVersion: ProtocolVersion?

    public init(
        name: String, protocol: TargetProtocol = .http, port: Int, algorithm: Algorithm = .roundRobin,
        crossZoneEnabled: Bool = true, healthCheck: HealthCheckConfiguration = HealthCheckConfiguration(),
        deregistrationDelaySeconds: Int = 300, targets: [TargetConfiguration], arn: String? = nil,
        stickiness: TargetStickiness? = nil, slowStartSeconds: Int = 0, protocolVersion: ProtocolVersion? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.name = name
        self.protocol = `protocol`
        self.port = port
        self.algorithm = algorithm
        self.crossZoneEnabled = crossZoneEnabled
        self.healthCheck = healthCheck
        self.deregistrationDelaySeconds = deregistrationDelaySeconds
        self.targets = targets
        self.arn = arn
        self.stickiness = stickiness
        self.slowStartSeconds = slowStartSeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        `protocol` = try container.decodeIfPresent(TargetProtocol.self, forKey: .protocol) ?? .http
        port = try container.decode(Int.self, forKey: .port)
        algorithm = try container.decodeIfPresent(Algorithm.self, forKey: .algorithm) ?? .roundRobin
        crossZoneEnabled = try container.decodeIfPresent(Bool.self, forKey: .crossZoneEnabled) ?? true
        healthCheck = try container.decodeIfPresent(HealthCheckConfiguration.self, forKey: .healthCheck)
            ?? HealthCheckConfiguration()
        deregistrationDelaySeconds = try container.decodeIfPresent(Int.self, forKey: .deregistrationDelaySeconds) ?? 300
        targets = try container.decodeIfPresent([TargetConfiguration].self, forKey: .targets) ?? []
        arn = try container.decodeIfPresent(String.self, forKey: .arn)
        stickiness = try container.decodeIfPresent(TargetStickiness.self, forKey: .stickiness)
        protocolVersion = try container.decodeIfPresent(ProtocolVersion.self, forKey: .protocolVersion)
        slowStartSeconds = try container.decodeIfPresent(Int.self, forKey: .slowStartSeconds) ?? 0
    }
}


/// Health check parameters as the proxy configuration file spells them, defaulting to AWS's
/// for ALB target groups (``HealthCheckSettings/defaults(for:protocol:)``).
public struct HealthCheckConfiguration: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, `protocol`, path, port, intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold, matcher
    }

    /// AWS's defaults for an ALB target group.
    public static let defaults = HealthCheckSettings.defaults(for: .application)

    /// When false, targets are not checked and count as routable (`unavailable`,
    /// `Target.HealthCheckDisabled`).
    public var enabled: Bool
    /// `HTTP` (default) or `HTTPS` (the target's certificate is not verified).
    public var `protocol`: HealthCheckProtocol
    /// The request path (default `/`).
    public var path: String
    /// `traffic-port` (default: the target's own port) or a port number.
    public var port: String
    /// Seconds between checks of one target, 5-300 (default 30).
    public var intervalSeconds: Int
    /// Seconds without a response that make a check fail, 2-120 and less than the interval (5).
    public var timeoutSeconds: Int
    /// Consecutive successes that make a target healthy, 2-10 (5).
    public var healthyThreshold: Int
    /// Consecutive failures that make a target unhealthy, 2-10 (2).
    public var unhealthyThreshold: Int
    /// Success codes: `"200"`, `"200,202"` or `"200-299"`, within 200-499 (default `"200"`).
    public var matcher: String

    public init(
        enabled: Bool = true, protocol: HealthCheckProtocol = .http, path: String = defaults.path, port: String = defaults.port.description,
        intervalSeconds: Int = defaults.intervalSeconds, timeoutSeconds: Int = defaults.timeoutSeconds,
        healthyThreshold: Int = defaults.healthyThreshold, unhealthyThreshold: Int = defaults.unhealthyThreshold,
        matcher: String = defaults.matcher.description
    ) {
        self.enabled = enabled
        self.protocol = `protocol`
        self.path = path
        self.port = port
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.healthyThreshold = healthyThreshold
        self.unhealthyThreshold = unhealthyThreshold
        self.matcher = matcher
    }

    /// The configuration of `settings`.
    public init(_ settings: HealthCheckSettings, enabled: Bool = true) {
        self.init(
            enabled: enabled, protocol: settings.protocol, path: settings.path, port: settings.port.description,
            intervalSeconds: settings.intervalSeconds, timeoutSeconds: settings.timeoutSeconds,
            healthyThreshold: settings.healthyThreshold, unhealthyThreshold: settings.unhealthyThreshold,
            matcher: settings.matcher.description)
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = HealthCheckConfiguration()
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? defaults.enabled
        `protocol` = try container.decodeIfPresent(HealthCheckProtocol.self, forKey: .protocol) ?? defaults.protocol
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? defaults.path
        port = try container.decodeIfPresent(String.self, forKey: .port) ?? defaults.port
        intervalSeconds = try container.decodeIfPresent(Int.self, forKey: .intervalSeconds) ?? defaults.intervalSeconds
        timeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? defaults.timeoutSeconds
        healthyThreshold = try container.decodeIfPresent(Int.self, forKey: .healthyThreshold) ?? defaults.healthyThreshold
        unhealthyThreshold =
            try container.decodeIfPresent(Int.self, forKey: .unhealthyThreshold) ?? defaults.unhealthyThreshold
        matcher = try container.decodeIfPresent(String.self, forKey: .matcher) ?? defaults.matcher
    }

    /// The settings the probes use; fields that do not parse (validation reports them) keep
    /// their defaults.
    public var settings: HealthCheckSettings {
        HealthCheckSettings(
            protocol: self.protocol, port: HealthCheckPort(port) ?? .trafficPort, path: path, intervalSeconds: intervalSeconds,
            timeoutSeconds: timeoutSeconds, healthyThreshold: healthyThreshold, unhealthyThreshold: unhealthyThreshold,
            matcher: HTTPCodeMatcher(matcher, for: .application) ?? Self.defaults.matcher)
    }
}

/// A registered target.
public struct TargetConfiguration: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, address, port, availabilityZone, weight, state
    }

    /// Whether the target takes new requests.
    public enum RegistrationState: String, Codable, Sendable {
        /// Registered: gets requests according to its health.
        case registered
        /// Being deregistered: in-flight requests finish, no new ones arrive.
        case draining
    }

    /// An identifier for logs and health reports (default `address:port`).
    public var id: String?
    /// The target's IP address.
    public var address: String
    /// The target's port (default: the target group's port).
    public var port: Int?
    /// The target's availability zone.
    public var availabilityZone: String
    /// Relative share of requests, 0-999 (default 1); 0 takes none unless failing open.
    public var weight: Int
    /// `registered` (default) or `draining`.
    public var state: RegistrationState

    public init(
        id: String? = nil, address: String, port: Int? = nil, availabilityZone: String, weight: Int = 1,
        state: RegistrationState = .registered
    ) {
        self.id = id
        self.address = address
        self.port = port
        self.availabilityZone = availabilityZone
        self.weight = weight
        self.state = state
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        address = try container.decode(String.self, forKey: .address)
        port = try container.decodeIfPresent(Int.self, forKey: .port)
        availabilityZone = try container.decode(String.self, forKey: .availabilityZone)
        weight = try container.decodeIfPresent(Int.self, forKey: .weight) ?? 1
        state = try container.decodeIfPresent(RegistrationState.self, forKey: .state) ?? .registered
    }
}
