import L7Proxy

/// The AWS attributes lbnet carries out for application load balancers and their target groups
/// (``ApplicationAttributeCatalog``), read from the state file's `attributes` maps with AWS's
/// defaults into the proxy's configuration.
enum ApplicationLoadBalancerAttributes {
    private typealias Catalog = ApplicationAttributeCatalog

    /// `idle_timeout.timeout_seconds` of the load balancer: 1-4000, default 60.
    static func idleTimeoutSeconds(of balancer: StateFile.LoadBalancer) throws(ApplicationLoadBalancerConfigError) -> Int {
        try integer(balancer.attributes, Catalog.idleTimeout, range: 1...4000, default: 60, owner: "loadBalancers '\(balancer.name)'")
    }

    /// `client_keep_alive.seconds` of the load balancer: 60-604800, default 3600.
    static func clientKeepAliveSeconds(of balancer: StateFile.LoadBalancer) throws(ApplicationLoadBalancerConfigError) -> Int {
        try integer(balancer.attributes, Catalog.clientKeepAlive, range: 60...604_800, default: 3600,
                    owner: "loadBalancers '\(balancer.name)'")
    }

    /// The `routing.http.xff_*` and `routing.http.preserve_host_header.enabled` attributes.
    static func forwardedHeaders(of balancer: StateFile.LoadBalancer) throws(ApplicationLoadBalancerConfigError) -> ForwardedHeaderPolicy {
        let owner = "loadBalancers '\(balancer.name)'"
        let mode = balancer.attributes[Catalog.xffHeaderProcessingMode] ?? "append"
        guard let parsed = ForwardedHeaderPolicy.XFFMode(rawValue: mode) else {
            throw .invalidAttribute(owner: owner, key: Catalog.xffHeaderProcessingMode, value: mode, expected: "append, preserve or remove")
        }
        return ForwardedHeaderPolicy(xffHeaderProcessingMode: parsed,
                                     xffClientPort: try boolean(balancer.attributes, Catalog.xffClientPort, owner: owner),
                                     preserveHostHeader: try boolean(balancer.attributes, Catalog.preserveHostHeader, owner: owner))
    }

    /// `load_balancing.algorithm.type` of a target group: `round_robin` (default),
    /// `least_outstanding_requests` or `weighted_random`.
    static func algorithm(of group: StateFile.TargetGroup) throws(ApplicationLoadBalancerConfigError) -> TargetGroupConfiguration.Algorithm {
        guard let value = group.attributes[Catalog.algorithm] else { return .roundRobin }
        guard let parsed = TargetGroupConfiguration.Algorithm(rawValue: value) else {
            throw .invalidAttribute(owner: "targetGroups '\(group.name)'", key: Catalog.algorithm, value: value,
                                    expected: "round_robin, least_outstanding_requests or weighted_random")
        }
        return parsed
    }

    /// `load_balancing.cross_zone.enabled` of a target group: `true`, `false`, or
    /// `use_load_balancer_configuration` (the default), which for an ALB means on.
    static func crossZoneEnabled(of group: StateFile.TargetGroup) throws(ApplicationLoadBalancerConfigError) -> Bool {
        switch group.attributes[Catalog.crossZone] {
        case nil, "true", "use_load_balancer_configuration": return true
        case "false": return false
        case let value?:
            throw .invalidAttribute(owner: "targetGroups '\(group.name)'", key: Catalog.crossZone, value: value,
                                    expected: "true, false or use_load_balancer_configuration")
        }
    }

    /// `deregistration_delay.timeout_seconds` of a target group: 0-3600, default 300.
    static func deregistrationDelaySeconds(of group: StateFile.TargetGroup) throws(ApplicationLoadBalancerConfigError) -> Int {
        try integer(group.attributes, Catalog.deregistrationDelay, range: 0...3600, default: 300, owner: "targetGroups '\(group.name)'")
    }

    /// `slow_start.duration_seconds` of a target group: 0 (off) or 30-900.
    static func slowStartSeconds(of group: StateFile.TargetGroup) throws(ApplicationLoadBalancerConfigError) -> Int {
        let seconds = try integer(group.attributes, Catalog.slowStart, range: 0...900, default: 0, owner: "targetGroups '\(group.name)'")
        guard seconds == 0 || seconds >= 30 else {
            throw .invalidAttribute(owner: "targetGroups '\(group.name)'", key: Catalog.slowStart, value: "\(seconds)",
                                    expected: "0 or an integer in 30-900")
        }
        return seconds
    }

    /// `stickiness.*` of a target group: nil unless `stickiness.enabled` is `true`.
    static func stickiness(of group: StateFile.TargetGroup) throws(ApplicationLoadBalancerConfigError) -> TargetStickiness? {
        let owner = "targetGroups '\(group.name)'"
        guard try boolean(group.attributes, Catalog.stickinessEnabled, owner: owner) else { return nil }
        switch group.attributes[Catalog.stickinessType] ?? "lb_cookie" {
        case "lb_cookie":
            return TargetStickiness(type: .lbCookie, durationSeconds: try integer(
                group.attributes, Catalog.lbCookieDuration, range: 1...604_800, default: 86400, owner: owner))
        case "app_cookie":
            return TargetStickiness(
                type: .appCookie,
                durationSeconds: try integer(group.attributes, Catalog.appCookieDuration, range: 1...604_800, default: 86400, owner: owner),
                cookieName: group.attributes[Catalog.appCookieName])
        case let value:
            throw .invalidAttribute(owner: owner, key: Catalog.stickinessType, value: value, expected: "lb_cookie or app_cookie")
        }
    }

    private static func boolean(_ attributes: [String: String], _ key: String, owner: String) throws(ApplicationLoadBalancerConfigError) -> Bool {
        switch attributes[key] {
        case nil, "false": return false
        case "true": return true
        case let value?: throw .invalidAttribute(owner: owner, key: key, value: value, expected: "true or false")
        }
    }

    private static func integer(_ attributes: [String: String], _ key: String, range: ClosedRange<Int>, default value: Int,
                                owner: String) throws(ApplicationLoadBalancerConfigError) -> Int {
        guard let text = attributes[key] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .invalidAttribute(owner: owner, key: key, value: text,
                                    expected: "an integer in \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }
}
