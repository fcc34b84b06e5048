/// Everything one ALB node (one `lbnet` L7 proxy process) needs: who it is, what it listens on,
/// how it routes, and which targets it forwards to.
///
/// The JSON form (camelCase keys, AWS names for enumerations; every key with a default may be
/// left out). docs/l7-proxy-config.md describes each field:
/// ```json
/// {
///   "nodeName": "alb-web-az-a", "availabilityZone": "az-a",
///   "idleTimeoutSeconds": 60, "connectTimeoutSeconds": 10,
///   "listeners": [{
///     "address": "0.0.0.0", "port": 80, "protocol": "HTTP",
///     "rules": [{
///       "priority": 10,
///       "conditions": [{"field": "path-pattern", "values": ["/api/*"]}],
///       "actions": [{"type": "forward", "targetGroups": [{"name": "api", "weight": 1}]}]
///     }],
///     "defaultActions": [{"type": "fixed-response", "statusCode": "404",
///                         "contentType": "text/plain", "messageBody": "no route"}]
///   }],
///   "targetGroups": [{
///     "name": "api", "protocol": "HTTP", "port": 8080, "algorithm": "round_robin",
///     "crossZoneEnabled": true,
///     "healthCheck": {"path": "/health", "intervalSeconds": 30, "timeoutSeconds": 5,
///                     "healthyThreshold": 5, "unhealthyThreshold": 2, "matcher": "200"},
///     "targets": [{"address": "10.0.1.10", "port": 8080, "availabilityZone": "az-a"}]
///   }]
/// }
/// ```
public struct ProxyConfiguration: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case nodeName, availabilityZone, idleTimeoutSeconds, connectTimeoutSeconds, listeners, targetGroups, loadBalancerArn, accessLog, certificates, clientKeepAliveSeconds, forwardedHeaders,
            requestHandling
    }

    /// The node's name, appended to `X-Lbnet-Via` and written in access logs.
    public var nodeName: String
    /// The availability zone the node serves; matters when a target group turns cross-zone off.
    public var availabilityZone: String
    /// How long a connection may sit without traffic either way (AWS default 60 s).
    public var idleTimeoutSeconds: Int
    /// How long connecting to a target may take before the request fails with 504 (10 s).
    public var connectTimeoutSeconds: Int
    /// The listeners, each a port with its rules.
    public var listeners: [ListenerConfiguration]
    /// The target groups the listeners' rules forward to.
    public var targetGroups: [TargetGroupConfiguration]
    /// The load balancer's ARN (``LoadBalancerARN``): access log lines name it by its resource id
    /// (`app/NAME/ID`); without it they write `app/<nodeName>`.
    public var loadBalancerArn: String?
    /// Where access log files go; nil when `access_logs.s3.enabled` is off (lines still go to
    /// standard output).
    public var accessLog: AccessLogConfiguration?
    /// The certificates HTTPS listeners name, with their keys.
    public var certificates: [ProxyCertificate]
    /// How long a client connection may be used, 60-604800 s (`client_keep_alive.seconds`,
    /// default 3600): the response to a request after that closes it.
    public var clientKeepAliveSeconds: Int
    /// How request headers are rewritten for targets (the `routing.http.*` attributes).
    public var forwardedHeaders: ForwardedHeaderPolicy
    /// Desync mitigation and invalid header handling.
    public var requestHandling: RequestHandlingConfiguration

    public init(
        nodeName: String,
        availabilityZone: String,
        idleTimeoutSeconds: Int = 60,
        connectTimeoutSeconds: Int = 10,
        listeners: [ListenerConfiguration],
        targetGroups: [TargetGroupConfiguration],
        loadBalancerArn: String? = nil,
        accessLog: AccessLogConfiguration? = nil,
        certificates: [ProxyCertificate] = [],
        clientKeepAliveSeconds: Int = 3600,
        forwardedHeaders: ForwardedHeaderPolicy = ForwardedHeaderPolicy(),
        requestHandling: RequestHandlingConfiguration = RequestHandlingConfiguration()
    ) {
        self.requestHandling = requestHandling
        self.nodeName = nodeName
        self.availabilityZone = availabilityZone
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.listeners = listeners
        self.targetGroups = targetGroups
        self.loadBalancerArn = loadBalancerArn
        self.accessLog = accessLog
        self.certificates = certificates
        self.clientKeepAliveSeconds = clientKeepAliveSeconds
        self.forwardedHeaders = forwardedHeaders
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        nodeName = try container.decode(String.self, forKey: .nodeName)
        availabilityZone = try container.decode(String.self, forKey: .availabilityZone)
        idleTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .idleTimeoutSeconds) ?? 60
        connectTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .connectTimeoutSeconds) ?? 10
        listeners = try container.decode([ListenerConfiguration].self, forKey: .listeners)
        targetGroups = try container.decodeIfPresent([TargetGroupConfiguration].self, forKey: .targetGroups) ?? []
        loadBalancerArn = try container.decodeIfPresent(String.self, forKey: .loadBalancerArn)
        accessLog = try container.decodeIfPresent(AccessLogConfiguration.self, forKey: .accessLog)
        certificates = try container.decodeIfPresent([ProxyCertificate].self, forKey: .certificates) ?? []
        clientKeepAliveSeconds = try container.decodeIfPresent(Int.self, forKey: .clientKeepAliveSeconds) ?? 3600
        forwardedHeaders = try container.decodeIfPresent(ForwardedHeaderPolicy.self, forKey: .forwardedHeaders)
            ?? ForwardedHeaderPolicy()
        requestHandling = try container.decodeIfPresent(RequestHandlingConfiguration.self, forKey: .requestHandling)
            ?? RequestHandlingConfiguration()
    }
}

/// A port the node listens on, with its rules and default actions.
public struct ListenerConfiguration: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case address, port, `protocol`, sslPolicy, certificates, rules, defaultActions, alpnPolicy, relay
    }

    /// The listener protocols lbnet's proxy speaks.
    public enum ListenerProtocol: String, Codable, Sendable {
        case http = "HTTP"
        /// TLS terminated with the listener's certificates and security policy.
        case https = "HTTPS"
        /// An NLB node's TLS listener: TLS terminated as for HTTPS, then each connection's bytes
        /// relayed as they are (``relay``); no HTTP, no rules.
        case tls = "TLS"
        /// An NLB node's TCP listener whose target group takes proxy protocol: each connection's
        /// bytes relayed as they are (``relay``), after the header; no TLS, no HTTP, no rules.
        case tcp = "TCP"

        /// Whether the listener relays connections (``relay``) instead of serving HTTP.
        public var relays: Bool { self == .tls || self == .tcp }
        /// Whether the listener terminates TLS with its certificates.
        public var terminatesTLS: Bool { self == .https || self == .tls }
    }

    /// The address to listen on (default `0.0.0.0`).
    public var address: String
    /// The TCP port, 1-65535; 0 lets the system pick a free one (for tests).
    public var port: Int
    /// `HTTP`; `HTTPS` with `sslPolicy` and `certificates`; `TLS` with those and `relay`; `TCP`
    /// with `relay` alone.
    public var `protocol`: ListenerProtocol
    /// HTTPS and TLS: the security policy's name (``SSLPolicy``); `nil` is AWS's default.
    public var sslPolicy: String?
    /// HTTPS and TLS: names of ``ProxyConfiguration/certificates``; the first is the default,
    /// the others are chosen by SNI.
    public var certificates: [String]
    /// TLS: the protocols offered by ALPN; `nil` is AWS's default, `None`.
    public var alpnPolicy: ALPNPolicy?
    /// TLS and TCP: where each connection goes (TLS: once its handshake is done).
    public var relay: RelayConfiguration?
    /// The rules, evaluated by ascending priority.
    public var rules: [ListenerRule]
    /// The actions of the default rule, which applies when no rule matches.
    public var defaultActions: [RuleAction]

    public init(
        address: String = "0.0.0.0", port: Int, protocol: ListenerProtocol = .http,
        rules: [ListenerRule] = [], defaultActions: [RuleAction], sslPolicy: String? = nil, certificates: [String] = [],
        alpnPolicy: ALPNPolicy? = nil, relay: RelayConfiguration? = nil
    ) {
        self.address = address
        self.port = port
        self.protocol = `protocol`
        self.sslPolicy = sslPolicy
        self.certificates = certificates
        self.rules = rules
        self.defaultActions = defaultActions
        self.alpnPolicy = alpnPolicy
        self.relay = relay
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decodeIfPresent(String.self, forKey: .address) ?? "0.0.0.0"
        port = try container.decode(Int.self, forKey: .port)
        `protocol` = try container.decodeIfPresent(ListenerProtocol.self, forKey: .protocol) ?? .http
        sslPolicy = try container.decodeIfPresent(String.self, forKey: .sslPolicy)
        certificates = try container.decodeIfPresent([String].self, forKey: .certificates) ?? []
        rules = try container.decodeIfPresent([ListenerRule].self, forKey: .rules) ?? []
        // TLS and TCP listeners have none; HTTP and HTTPS listeners without them are refused by `validate`.
        defaultActions = try container.decodeIfPresent([RuleAction].self, forKey: .defaultActions) ?? []
        alpnPolicy = try container.decodeIfPresent(ALPNPolicy.self, forKey: .alpnPolicy)
        relay = try container.decodeIfPresent(RelayConfiguration.self, forKey: .relay)
    }
}

/// A listener rule: when all its conditions match, its action runs.
public struct ListenerRule: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case priority, conditions, actions
    }

    /// 1-50000, unique within the listener; lower runs first.
    public var priority: Int
    /// Conditions that must all match; the values within one condition are alternatives.
    public var conditions: [RuleCondition]
    /// Exactly one action.
    public var actions: [RuleAction]

    public init(priority: Int, conditions: [RuleCondition], actions: [RuleAction]) {
        self.priority = priority
        self.conditions = conditions
        self.actions = actions
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        priority = try container.decode(Int.self, forKey: .priority)
        conditions = try container.decode([RuleCondition].self, forKey: .conditions)
        actions = try container.decode([RuleAction].self, forKey: .actions)
    }
}

