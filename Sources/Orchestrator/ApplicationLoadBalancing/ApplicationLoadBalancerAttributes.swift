import L7Proxy

/// The AWS attributes lbnet honours for application load balancers and their target groups,
/// read from the state file's `attributes` maps with AWS's defaults.
enum ApplicationLoadBalancerAttributes {
    static let idleTimeout = "idle_timeout.timeout_seconds"
    static let algorithm = "load_balancing.algorithm.type"
    static let crossZone = "load_balancing.cross_zone.enabled"
    static let deregistrationDelay = "deregistration_delay.timeout_seconds"

    /// `idle_timeout.timeout_seconds` of the load balancer: 1-4000, default 60.
    static func idleTimeoutSeconds(of balancer: StateFile.LoadBalancer) throws(ApplicationLoadBalancerConfigError) -> Int {
        try integer(balancer.attributes, idleTimeout, range: 1...4000, default: 60, owner: "loadBalancers '\(balancer.name)'")
    }

    /// `load_balancing.algorithm.type` of a target group: `round_robin` (default) or
    /// `least_outstanding_requests` (`weighted_random` is not implemented by lbnet's proxy).
    static func algorithm(of group: StateFile.TargetGroup) throws(ApplicationLoadBalancerConfigError) -> TargetGroupConfiguration.Algorithm {
        guard let value = group.attributes[algorithm] else { return .roundRobin }
        guard let parsed = TargetGroupConfiguration.Algorithm(rawValue: value) else {
            throw .invalidAttribute(owner: "targetGroups '\(group.name)'", key: algorithm, value: value,
                                    expected: "round_robin or least_outstanding_requests")
        }
        return parsed
    }

    /// `load_balancing.cross_zone.enabled` of a target group: `true`, `false`, or
    /// `use_load_balancer_configuration` (the default), which for an ALB means on.
    static func crossZoneEnabled(of group: StateFile.TargetGroup) throws(ApplicationLoadBalancerConfigError) -> Bool {
        switch group.attributes[crossZone] {
        case nil, "true", "use_load_balancer_configuration": return true
        case "false": return false
        case let value?:
            throw .invalidAttribute(owner: "targetGroups '\(group.name)'", key: crossZone, value: value,
                                    expected: "true, false or use_load_balancer_configuration")
        }
    }

    /// `deregistration_delay.timeout_seconds` of a target group: 0-3600, default 300.
    static func deregistrationDelaySeconds(of group: StateFile.TargetGroup) throws(ApplicationLoadBalancerConfigError) -> Int {
        try integer(group.attributes, deregistrationDelay, range: 0...3600, default: 300, owner: "targetGroups '\(group.name)'")
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
