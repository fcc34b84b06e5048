/// A target's health as ALB reports it (`DescribeTargetHealth`), and the state machine that
/// health check results, registration and deregistration drive. Pure: no clocks, no I/O.
public struct TargetHealth: Sendable, Equatable {
    /// AWS's `TargetHealthStateEnum` values lbnet uses.
    public enum State: String, Sendable, Codable {
        case initial, healthy, unhealthy, unused, draining, unavailable
    }

    /// AWS's `TargetHealthReasonEnum` values lbnet uses.
    public enum Reason: String, Sendable, Codable {
        case registrationInProgress = "Elb.RegistrationInProgress"
        case initialHealthChecking = "Elb.InitialHealthChecking"
        case responseCodeMismatch = "Target.ResponseCodeMismatch"
        case timeout = "Target.Timeout"
        case failedHealthChecks = "Target.FailedHealthChecks"
        case notRegistered = "Target.NotRegistered"
        case deregistrationInProgress = "Target.DeregistrationInProgress"
        case healthCheckDisabled = "Target.HealthCheckDisabled"
    }

    /// What one health check found.
    public enum CheckResult: Sendable, Equatable {
        /// The target answered with a matching code.
        case success(statusCode: Int)
        /// The target answered with a code the matcher does not accept.
        case responseCodeMismatch(statusCode: Int)
        /// No complete answer within the timeout.
        case timeout
        /// The connection failed or the answer was not HTTP.
        case failed(String)
    }

    /// Consecutive-result thresholds from the health check configuration.
    public struct Thresholds: Sendable, Equatable {
        public var healthy: Int
        public var unhealthy: Int

        public init(healthy: Int, unhealthy: Int) {
            self.healthy = healthy
            self.unhealthy = unhealthy
        }

        init(_ configuration: HealthCheckConfiguration) {
            self.init(healthy: configuration.healthyThreshold, unhealthy: configuration.unhealthyThreshold)
        }
    }

    public private(set) var state: State
    /// Nil while healthy.
    public private(set) var reason: Reason?
    /// AWS-style explanation, such as `Health checks failed with these codes: [404]`.
    public private(set) var description: String?
    public private(set) var consecutiveSuccesses = 0
    public private(set) var consecutiveFailures = 0

    private init(state: State, reason: Reason?, description: String?) {
        self.state = state
        self.reason = reason
        self.description = description
    }

    /// A newly registered target: `initial` until checks decide, or `unavailable` when checks
    /// are disabled (it then takes traffic).
    public static func registered(healthCheckEnabled: Bool) -> TargetHealth {
        healthCheckEnabled
            ? TargetHealth(state: .initial, reason: .initialHealthChecking, description: "Initial health checking in progress")
            : TargetHealth(state: .unavailable, reason: .healthCheckDisabled, description: "Health checks are disabled")
    }

    /// Whether new requests may go to the target without failing open.
    public var isRoutable: Bool { state == .healthy || state == .unavailable }

    /// Whether health checks still run for the target.
    public var isChecked: Bool { state == .initial || state == .healthy || state == .unhealthy }

    /// Applies one health check result.
    public mutating func record(_ result: CheckResult, thresholds: Thresholds) {
        guard isChecked else { return }
        switch result {
        case .success:
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            if state != .healthy, consecutiveSuccesses >= thresholds.healthy {
                state = .healthy
                reason = nil
                description = nil
            }
        case .responseCodeMismatch, .timeout, .failed:
            consecutiveFailures += 1
            consecutiveSuccesses = 0
            if state == .unhealthy || consecutiveFailures >= thresholds.unhealthy {
                state = .unhealthy
                (reason, description) = Self.explain(result)
            }
        }
    }

    /// Deregistration began: no new requests, in-flight ones finish.
    public mutating func beginDraining() {
        guard state != .unused else { return }
        state = .draining
        reason = .deregistrationInProgress
        description = "Target deregistration is in progress"
    }

    /// The deregistration delay is over (or the target left the group): it is no longer used.
    public mutating func finishDraining() {
        state = .unused
        reason = .notRegistered
        description = "Target is not registered to the target group"
        consecutiveSuccesses = 0
        consecutiveFailures = 0
    }

    private static func explain(_ failure: CheckResult) -> (Reason, String) {
        switch failure {
        case .responseCodeMismatch(let code): (.responseCodeMismatch, "Health checks failed with these codes: [\(code)]")
        case .timeout: (.timeout, "Request timed out")
        case .failed(let detail): (.failedHealthChecks, "Health checks failed: \(detail)")
        case .success: (.failedHealthChecks, "Health checks failed")
        }
    }
}
