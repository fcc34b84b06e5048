extension TargetHealth {
    /// AWS's `TargetHealthReasonEnum`.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// `initial`: the target is being registered.
        case registrationInProgress = "Elb.RegistrationInProgress"
        /// `initial`: still sending the minimum number of checks that decide the target's health.
        case initialHealthChecking = "Elb.InitialHealthChecking"
        /// `unhealthy`: the checks did not return an expected HTTP code.
        case responseCodeMismatch = "Target.ResponseCodeMismatch"
        /// `unhealthy`: the check requests timed out.
        case timeout = "Target.Timeout"
        /// `unhealthy`: connecting failed or the response was malformed.
        case failedHealthChecks = "Target.FailedHealthChecks"
        /// `unused`: the target is not registered with the target group.
        case notRegistered = "Target.NotRegistered"
        /// `unused`: no load balancer uses the group, or the target's zone is not enabled.
        case notInUse = "Target.NotInUse"
        /// `draining`: deregistration is in progress and its delay has not expired.
        case deregistrationInProgress = "Target.DeregistrationInProgress"
        /// `unused`: the target is stopped or terminated.
        case invalidState = "Target.InvalidState"
        /// `unused`: the address is reserved for use by a load balancer.
        case ipUnusable = "Target.IpUnusable"
        /// `unavailable`: health checks are disabled for the target group.
        case healthCheckDisabled = "Target.HealthCheckDisabled"
        /// `unhealthy` or `unavailable`: an internal error.
        case internalError = "Elb.InternalError"

        /// The `Description` AWS gives with this reason when nothing more specific is known.
        public var defaultDescription: String {
            switch self {
            case .registrationInProgress: "Target registration is in progress"
            case .initialHealthChecking: "Initial health checking in progress"
            case .responseCodeMismatch: "Health checks failed with these codes: []"
            case .timeout: "Request timed out"
            case .failedHealthChecks: "Health checks failed"
            case .notRegistered: "Target is not registered to the target group"
            case .notInUse: "Target group is not configured to receive traffic from the load balancer"
            case .deregistrationInProgress: "Target deregistration is in progress"
            case .invalidState: "Target is in the stopped or terminated state"
            case .ipUnusable: "The target IP address is reserved for use by a load balancer"
            case .healthCheckDisabled: "Health checks are disabled"
            case .internalError: "Health checks failed due to an internal error"
            }
        }
    }
}
