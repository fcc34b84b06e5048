/// The health of one target as seen from one NLB node, as AWS reports it: a state, a reason
/// code, and the run of consecutive results that moves it between states.
public struct TargetHealth: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case initial, healthy, unhealthy
    }

    public private(set) var state: State
    public private(set) var reason: String?
    public private(set) var successes: Int
    public private(set) var failures: Int

    public init() {
        state = .initial
        reason = "Elb.InitialHealthChecking"
        successes = 0
        failures = 0
    }

    /// Records one check: `healthyThreshold` successes in a row make the target healthy,
    /// `unhealthyThreshold` failures in a row unhealthy. `failure` is AWS's reason code.
    public mutating func record(failure: String?, healthyThreshold: Int, unhealthyThreshold: Int) {
        if let failure {
            failures += 1
            successes = 0
            if failures >= unhealthyThreshold {
                state = .unhealthy
                reason = failure
            }
        } else {
            successes += 1
            failures = 0
            if successes >= healthyThreshold {
                state = .healthy
                reason = nil
            }
        }
    }
}

/// The health of every checked target, by node and then by `address:port`; kept in the state
/// directory by the controller and read by `up` to take unhealthy targets out of rotation.
public struct HealthRecord: Codable, Sendable, Equatable {
    public var nodes: [String: [String: TargetHealth]]

    public init(nodes: [String: [String: TargetHealth]] = [:]) { self.nodes = nodes }

    /// The targets of `candidates` that should get new flows: the healthy ones, or, when none
    /// is healthy, all of them (fail open, as AWS does).
    public func inRotation(node: String, candidates: [String]) -> Set<String> {
        let healthy = candidates.filter { nodes[node]?[$0]?.state == .healthy }
        return Set(healthy.isEmpty ? candidates : healthy)
    }
}
