/// A registered target with what selection needs to know about it right now.
struct TargetCandidate: Sendable, Equatable {
    var endpoint: TargetEndpoint
    /// Healthy, or health checks are disabled.
    var isRoutable: Bool
    /// Being deregistered: takes no new requests, not even when failing open.
    var isDraining: Bool
    /// Requests sent to the target that have not completed.
    var outstandingRequests: Int

    init(endpoint: TargetEndpoint, isRoutable: Bool, isDraining: Bool = false, outstandingRequests: Int = 0) {
        self.endpoint = endpoint
        self.isRoutable = isRoutable
        self.isDraining = isDraining
        self.outstandingRequests = outstandingRequests
    }
}
