/// An NLB target group's health check with AWS's defaults filled in: TCP for `instance` and
/// `ip` groups and HTTP for `alb` groups, on the traffic port, every 30 s, timeout 10 s (6 s for
/// HTTP), 5 successes to become healthy, 2 failures to become unhealthy, success codes 200-399.
public struct NLBHealthCheckSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case tcp, http, https }

    public let kind: Kind
    /// `nil`: the target's own (traffic) port.
    public let port: Int?
    public let path: String
    public let interval: Double
    public let timeout: Double
    public let healthyThreshold: Int
    public let unhealthyThreshold: Int
    public let matcher: HTTPCodeMatcher

    public init(group: StateFile.TargetGroup) {
        let check = group.healthCheck
        kind = switch check?.protocol ?? (group.targetType == .alb ? .http : .tcp) {
        case .tcp: .tcp
        case .http: .http
        case .https: .https
        }
        port = switch check?.port {
        case .port(let number): number
        case .trafficPort, nil: nil
        }
        path = check?.path ?? "/"
        interval = Double(check?.intervalSeconds ?? 30)
        timeout = Double(check?.timeoutSeconds ?? (kind == .http ? 6 : 10))
        healthyThreshold = check?.healthyThresholdCount ?? 5
        unhealthyThreshold = check?.unhealthyThresholdCount ?? 2
        matcher = check?.matcher ?? HTTPCodeMatcher("200-399")!
    }
}
