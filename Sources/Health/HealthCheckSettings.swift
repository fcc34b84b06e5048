import NIOCore

/// How a target group checks its targets, with AWS's defaults per load balancer type
/// (`CreateTargetGroup` in the ELBv2 API reference and the ALB and NLB guides):
///
/// | | ALB target group | NLB target group |
/// |---|---|---|
/// | protocol | HTTP | TCP (HTTP for `alb` targets) |
/// | port | traffic-port | traffic-port |
/// | path | `/` | `/` |
/// | interval | 30 s | 30 s |
/// | timeout | 5 s | 6 s for HTTP, 10 s for TCP and HTTPS |
/// | healthy / unhealthy threshold | 5 / 2 | 5 / 2 |
/// | matcher | `200` (may name 200-499) | `200-399` (may name 200-599) |
public struct HealthCheckSettings: Sendable, Hashable {
    /// The kind of load balancer a target group belongs to, which decides its defaults.
    public enum LoadBalancerType: String, Sendable, Hashable, CaseIterable {
        case application, network
    }

    /// Seconds between checks AWS accepts (`HealthCheckIntervalSeconds`).
    public static let allowedIntervalSeconds = 5...300
    /// Seconds of timeout AWS accepts (`HealthCheckTimeoutSeconds`); it must also be less than the interval.
    public static let allowedTimeoutSeconds = 2...120
    /// Consecutive results AWS accepts as thresholds (`HealthyThresholdCount`, `UnhealthyThresholdCount`).
    public static let allowedThresholdCounts = 2...10

    public var `protocol`: HealthCheckProtocol
    public var port: HealthCheckPort
    /// The request path of HTTP and HTTPS checks.
    public var path: String
    public var intervalSeconds: Int
    public var timeoutSeconds: Int
    public var healthyThreshold: Int
    public var unhealthyThreshold: Int
    /// The success codes of HTTP and HTTPS checks.
    public var matcher: HTTPCodeMatcher
    /// What every check's connection starts with, before any TLS: empty, or for a target group
    /// with proxy protocol the `LOCAL` header AWS sends with its checks (no client to name).
    public var preamble: [UInt8] = []

    public init(
        protocol: HealthCheckProtocol, port: HealthCheckPort = .trafficPort, path: String = "/",
        intervalSeconds: Int, timeoutSeconds: Int, healthyThreshold: Int, unhealthyThreshold: Int,
        matcher: HTTPCodeMatcher
    ) {
        self.protocol = `protocol`
        self.port = port
        self.path = path
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.healthyThreshold = healthyThreshold
        self.unhealthyThreshold = unhealthyThreshold
        self.matcher = matcher
    }

    /// AWS's defaults for a target group of a `type` load balancer checked with `protocol`
    /// (nil: the type's default protocol, HTTP for ALB target groups and TCP for NLB ones;
    /// an NLB target group of `alb` targets passes `.http`).
    public static func defaults(for type: LoadBalancerType, protocol: HealthCheckProtocol? = nil) -> HealthCheckSettings {
        switch type {
        case .application:
            HealthCheckSettings(
                protocol: `protocol` ?? .http, intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 5,
                unhealthyThreshold: 2, matcher: HTTPCodeMatcher("200")!)
        case .network:
            HealthCheckSettings(
                protocol: `protocol` ?? .tcp, intervalSeconds: 30, timeoutSeconds: `protocol` == .http ? 6 : 10,
                healthyThreshold: 5, unhealthyThreshold: 2, matcher: HTTPCodeMatcher("200-399")!)
        }
    }

    /// The thresholds the target health state machine applies.
    public var thresholds: TargetHealth.Thresholds {
        TargetHealth.Thresholds(healthy: healthyThreshold, unhealthy: unhealthyThreshold)
    }

    /// The interval and timeout as time, given how long one configured second lasts (one
    /// second, except in tests that speed checks up).
    public func interval(second: TimeAmount = .seconds(1)) -> TimeAmount { second * Int64(intervalSeconds) }
    public func timeout(second: TimeAmount = .seconds(1)) -> TimeAmount { second * Int64(timeoutSeconds) }
}
