import L7Proxy

/// Builds the proxy configuration of one application load balancer's nodes from the state file:
/// the HTTP and HTTPS listeners with their rules and default actions (HTTPS ones with their
/// security policy and certificate names; the deployment adds the certificates' material), and
/// every target group they forward to with its targets resolved to addresses and zones. All
/// nodes share listeners and target groups; they differ in name and zone.
struct ProxyConfigurationBuilder {
    let balancer: StateFile.LoadBalancer
    let idleTimeoutSeconds: Int
    let clientKeepAliveSeconds: Int
    let forwardedHeaders: ForwardedHeaderPolicy
    let listeners: [ListenerConfiguration]
    let targetGroups: [TargetGroupConfiguration]
    /// Where access logs go; nil when `access_logs.s3.enabled` is not `true`.
    let accessLogLocation: AccessLogLocation?
    /// Desync mitigation mode and invalid header handling.
    let requestHandling: RequestHandlingConfiguration

    init(balancer: StateFile.LoadBalancer, file: StateFile, topology: Topology) throws(ApplicationLoadBalancerConfigError) {
        self.balancer = balancer
        idleTimeoutSeconds = try ApplicationLoadBalancerAttributes.idleTimeoutSeconds(of: balancer)
        clientKeepAliveSeconds = try ApplicationLoadBalancerAttributes.clientKeepAliveSeconds(of: balancer)
        forwardedHeaders = try ApplicationLoadBalancerAttributes.forwardedHeaders(of: balancer)
        accessLogLocation = AccessLogLocation(attributes: balancer.attributes)
        requestHandling = try RequestHandlingAttributes.configuration(of: balancer)
        let served = balancer.listeners.filter { [.http, .https].contains($0.protocol) }
        listeners = served.map(Self.listener)
        let forwarded = Set(served.flatMap { listener in
            (listener.defaultActions + listener.rules.flatMap(\.actions)).flatMap(\.forwardTargets).map(\.targetGroupName)
        })
        var groups: [TargetGroupConfiguration] = []
        for group in file.targetGroups where forwarded.contains(group.name) {
            groups.append(try TargetGroupConfigurationBuilder(group: group, topology: topology).configuration())
        }
        targetGroups = groups
    }

    /// Whether the load balancer has a listener its nodes serve (without one they run no proxy).
    var servesTraffic: Bool { !listeners.isEmpty }

    /// The node's configuration, with the ARNs (``AWSIdentity``) its access log lines name; the
    /// access log directory is the deployment's to add.
    func configuration(for host: Topology.Host) -> ProxyConfiguration {
        let identity = AWSIdentity()
        let groups = targetGroups.map { group in
            var group = group
            group.arn = identity.targetGroupArn(group.name)
            return group
        }
        return ProxyConfiguration(nodeName: host.name, availabilityZone: host.az, idleTimeoutSeconds: idleTimeoutSeconds,
                                  listeners: listeners, targetGroups: groups,
                                  loadBalancerArn: identity.loadBalancerArn(balancer.name, type: .application),
                                  clientKeepAliveSeconds: clientKeepAliveSeconds, forwardedHeaders: forwardedHeaders,
                                  requestHandling: requestHandling)
    }

    /// Listens on every address of the node's namespace, so traffic a network load balancer
    /// hands over reaches it however it was addressed.
    private static func listener(_ listener: StateFile.Listener) -> ListenerConfiguration {
        ListenerConfiguration(
            address: "0.0.0.0", port: listener.port, protocol: listener.protocol == .https ? .https : .http,
            rules: listener.rules.sorted { $0.priority < $1.priority }.map { rule in
                ListenerRule(priority: rule.priority, conditions: rule.conditions.map(condition), actions: rule.actions.map(action))
            },
            defaultActions: listener.defaultActions.map(action),
            sslPolicy: listener.protocol == .https ? listener.sslPolicy ?? SSLPolicy.defaultName : nil,
            certificates: listener.certificates)
    }

    private static func condition(_ condition: StateFile.RuleCondition) -> RuleCondition {
        switch condition.field {
        case .hostHeader: .hostHeader(condition.values)
        case .pathPattern: .pathPattern(condition.values)
        case .httpHeader: .httpHeader(name: condition.httpHeaderName ?? "", values: condition.values)
        case .httpRequestMethod: .httpRequestMethod(condition.values)
        case .queryString: .queryString(condition.queryStringValues.map { QueryStringPair(key: $0.key, value: $0.value) })
        case .sourceIP: .sourceIP(condition.values)
        }
    }

    private static func action(_ action: StateFile.Action) -> RuleAction {
        switch action.type {
        case .forward:
            let stickiness = action.forwardConfig?.targetGroupStickinessConfig
            return .forward(action.forwardTargets.map { WeightedTargetGroup(name: $0.targetGroupName, weight: $0.weight) },
                            stickinessSeconds: stickiness?.enabled == true ? stickiness?.durationSeconds : nil)
        case .redirect:
            let config = action.redirectConfig ?? StateFile.RedirectConfig(statusCode: .http302)
            let defaults = RedirectAction(statusCode: config.statusCode.rawValue)
            return .redirect(RedirectAction(
                statusCode: config.statusCode.rawValue, protocol: config.protocol ?? defaults.protocol,
                host: config.host ?? defaults.host, port: config.port ?? defaults.port,
                path: config.path ?? defaults.path, query: config.query ?? defaults.query))
        case .fixedResponse:
            let config = action.fixedResponseConfig ?? StateFile.FixedResponseConfig(statusCode: "503")
            return .fixedResponse(FixedResponseAction(statusCode: config.statusCode, contentType: config.contentType,
                                                      messageBody: config.messageBody))
        }
    }
}
