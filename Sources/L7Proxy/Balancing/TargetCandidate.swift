/// A registered target with what selection needs to know about it right now.
struct TargetCandidate: Sendable, Equatable {
    var endpoint: TargetEndpoint
    /// Healthy, or health checks are disabled.
    var isRoutable: Bool
    /// Being deregistered: takes no new requests, not even when failing open.
    var isDraining: Bool
    /// Requests sent to the target that have not completed.
    var outstandingRequests: Int
    /// The weight round robin and weighted random use: the target's weight, scaled by its
    /// slow-start share when its group ramps a target up.
    var effectiveWeight: Int

    init(endpoint: TargetEndpoint, isRoutable: Bool, isDraining: Bool = false, outstandingRequests: Int = 0,
         effectiveWeight: Int? = nil) {
        self.endpoint = endpoint
        self.isRoutable = isRoutable
        self.isDraining = isDraining
        self.outstandingRequests = outstandingRequests
        self.effectiveWeight = effectiveWeight ?? endpoint.weight
    }
}
