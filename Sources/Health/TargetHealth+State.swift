extension TargetHealth {
    /// AWS's `TargetHealthStateEnum` values lbnet uses (it has no `unhealthy.draining`: lbnet
    /// does not terminate connections of unhealthy targets).
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Registering, or not yet checked `healthyThreshold` times.
        case initial
        case healthy
        case unhealthy
        /// Not registered, or in no zone of the load balancer.
        case unused
        /// Being deregistered; existing connections finish.
        case draining
        /// Health checks are disabled.
        case unavailable
    }
}
