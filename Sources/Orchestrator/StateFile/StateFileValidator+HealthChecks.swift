import Health

extension StateFileValidator {
    /// Status codes a matcher may name, by the load balancer type of the target group.
    static func matcherCodes(for group: StateFile.TargetGroup) -> ClosedRange<Int> {
        HTTPCodeMatcher.allowedCodes(for: group.protocol.loadBalancerType == .application ? .application : .network)
    }

    /// The health check protocol a target group uses when its health check does not name one.
    static func defaultHealthCheckProtocol(for group: StateFile.TargetGroup) -> StateFile.HealthCheckProtocol {
        switch (group.targetType, group.protocol) {
        case (.alb, _), (_, .http): .http
        case (_, .https): .https
        default: .tcp
        }
    }

    mutating func checkHealthCheck(
        _ healthCheck: StateFile.HealthCheck, of group: StateFile.TargetGroup, at path: FieldPath
    ) {
        let probe = healthCheck.protocol ?? Self.defaultHealthCheckProtocol(for: group)
        if probe == .tcp, group.protocol.loadBalancerType == .application || group.targetType == .alb {
            report(
                "a target group of protocol \(group.protocol.rawValue)\(group.targetType == .alb ? " and type alb" : "") "
                    + "checks health with HTTP or HTTPS",
                at: path.key("protocol"))
        }
        if case .port(let port) = healthCheck.port {
            checkPort(port, at: path.key("port"))
        }
        if probe == .tcp {
            for (key, isSet) in [("path", healthCheck.path != nil), ("matcher", healthCheck.matcher != nil)] where isSet {
                report("\(key) is only for HTTP and HTTPS health checks", at: path.key(key))
            }
        }
        if let probePath = healthCheck.path, !probePath.hasPrefix("/") {
            report("'\(probePath)' must start with '/'", at: path.key("path"))
        }
        if let interval = healthCheck.intervalSeconds {
            checkRange(interval, HealthCheckSettings.allowedIntervalSeconds, "intervalSeconds", at: path.key("intervalSeconds"))
        }
        if let timeout = healthCheck.timeoutSeconds {
            checkRange(timeout, HealthCheckSettings.allowedTimeoutSeconds, "timeoutSeconds", at: path.key("timeoutSeconds"))
            if let interval = healthCheck.intervalSeconds, timeout >= interval {
                report(
                    "timeoutSeconds (\(timeout)) must be less than intervalSeconds (\(interval))",
                    at: path.key("timeoutSeconds"))
            }
        }
        for (key, count) in [
            ("healthyThresholdCount", healthCheck.healthyThresholdCount),
            ("unhealthyThresholdCount", healthCheck.unhealthyThresholdCount),
        ] {
            if let count {
                checkRange(count, HealthCheckSettings.allowedThresholdCounts, key, at: path.key(key))
            }
        }
        if let matcher = healthCheck.matcher {
            let allowed = Self.matcherCodes(for: group)
            let codes = matcher.ranges.flatMap { [$0.lowerBound, $0.upperBound] }
            if let code = codes.first(where: { !allowed.contains($0) }) {
                report(
                    "status code \(code) is out of range \(allowed.lowerBound)-\(allowed.upperBound)",
                    at: path.key("matcher"))
            }
        }
    }
}
