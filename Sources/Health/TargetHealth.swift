/// A target's health as `DescribeTargetHealth` reports it (state, reason code, description),
/// and the state machine that health check results, registration and deregistration drive.
/// Pure: no clocks, no I/O.
public struct TargetHealth: Sendable, Hashable, Codable {
    /// Consecutive-result thresholds of the target group's health check.
    public struct Thresholds: Sendable, Hashable {
        public var healthy: Int
        public var unhealthy: Int

        public init(healthy: Int, unhealthy: Int) {
            self.healthy = healthy
            self.unhealthy = unhealthy
        }
    }

    public private(set) var state: State
    /// Nil while healthy.
    public private(set) var reason: Reason?
    /// AWS-style explanation, such as `Health checks failed with these codes: [404]`; nil while healthy.
    public private(set) var description: String?
    public private(set) var consecutiveSuccesses = 0
    public private(set) var consecutiveFailures = 0

    private init(state: State, reason: Reason?, description: String? = nil) {
        self.state = state
        self.reason = reason
        self.description = description ?? reason?.defaultDescription
    }

    /// A newly registered target: `initial` until checks decide, or `unavailable` when checks
    /// are disabled (it then takes traffic).
    public static func registered(healthCheckEnabled: Bool = true) -> TargetHealth {
        healthCheckEnabled
            ? TargetHealth(state: .initial, reason: .initialHealthChecking)
            : TargetHealth(state: .unavailable, reason: .healthCheckDisabled)
    }

    /// A target the target group does not know (any more).
    public static let notRegistered = TargetHealth(state: .unused, reason: .notRegistered)

    /// Whether new requests or flows may go to the target without failing open.
    public var isRoutable: Bool { state == .healthy || state == .unavailable }

    /// Whether health checks still run for the target.
    public var isChecked: Bool { state == .initial || state == .healthy || state == .unhealthy }

    /// Applies one health check result: `healthy` consecutive successes make the target healthy,
    /// `unhealthy` consecutive failures unhealthy; an unhealthy target's reason follows its
    /// latest failure. Ignored unless the target ``isChecked``.
    public mutating func record(_ result: CheckResult, thresholds: Thresholds) {
        guard isChecked else { return }
        if result.isSuccess {
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            if state != .healthy, consecutiveSuccesses >= thresholds.healthy {
                state = .healthy
                reason = nil
                description = nil
            }
        } else {
            consecutiveFailures += 1
            consecutiveSuccesses = 0
            if state == .unhealthy || consecutiveFailures >= thresholds.unhealthy {
                state = .unhealthy
                reason = result.failureReason
                description = result.failureDescription
            }
        }
    }

    /// Deregistration began: no new requests or flows, in-flight ones finish.
    public mutating func beginDraining() {
        guard state != .unused else { return }
        state = .draining
        reason = .deregistrationInProgress
        description = reason?.defaultDescription
    }

    /// The deregistration delay is over (or the target left the group): it is no longer used.
    public mutating func finishDraining() {
        self = .notRegistered
    }

    private enum CodingKeys: String, CodingKey {
        case state, reason, description, consecutiveSuccesses, consecutiveFailures
    }

    /// Decodes what ``encode(to:)`` writes; a record without description or counters (as
    /// older lbnet versions wrote it) starts them afresh.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        state = try container.decode(State.self, forKey: .state)
        reason = try container.decodeIfPresent(Reason.self, forKey: .reason)
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? reason?.defaultDescription
        consecutiveSuccesses = try container.decodeIfPresent(Int.self, forKey: .consecutiveSuccesses) ?? 0
        consecutiveFailures = try container.decodeIfPresent(Int.self, forKey: .consecutiveFailures) ?? 0
    }
}
