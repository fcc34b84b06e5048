/// Chooses the target for each request of one target group on one node, as an ALB node does:
/// only registered targets (only those in the node's zone when cross-zone is off), preferring
/// routable ones and failing open to all of them when none is; then round robin (smooth
/// weighted), weighted random, or least outstanding requests (per unit of weight, ties in
/// rotation). Round robin and weighted random use each candidate's effective weight (slow start).
struct TargetPicker: Sendable {
    let algorithm: TargetGroupConfiguration.Algorithm
    let crossZoneEnabled: Bool
    let nodeZone: String

    /// Smooth weighted round robin's running scores, by target.
    private var scores: [TargetEndpoint.Key: Int] = [:]
    /// Round robin's next position among targets of equal weight.
    private var rotation = 0
    /// Where least-outstanding-requests starts looking among equals, so ties rotate.
    private var tieBreakOffset = 0

    init(algorithm: TargetGroupConfiguration.Algorithm, crossZoneEnabled: Bool, nodeZone: String) {
        self.algorithm = algorithm
        self.crossZoneEnabled = crossZoneEnabled
        self.nodeZone = nodeZone
    }

    /// The targets a request may go to: nil means the node has no registered target it may use
    /// (the request gets 503).
    func eligible(_ candidates: [TargetCandidate]) -> [TargetCandidate]? {
        // Usually every target is: the candidates go on as they are, not filtered into new arrays.
        if !candidates.isEmpty, candidates.allSatisfy({ isRegistered($0) && $0.endpoint.weight > 0 && $0.isRoutable }) {
            return candidates
        }
        let registered = candidates.filter(isRegistered)
        guard !registered.isEmpty else { return nil }
        let weighted = registered.filter { $0.endpoint.weight > 0 }
        let routable = weighted.filter(\.isRoutable)
        if !routable.isEmpty { return routable }
        return weighted.isEmpty ? registered : weighted
    }

    /// Registered with this node: not draining, and in the node's zone unless cross-zone is on.
    private func isRegistered(_ candidate: TargetCandidate) -> Bool {
        !candidate.isDraining && (crossZoneEnabled || candidate.endpoint.availabilityZone == nodeZone)
    }

    /// Picks a target, or nil when none may be used.
    mutating func pick(from candidates: [TargetCandidate], using generator: inout some RandomNumberGenerator) -> TargetEndpoint? {
        guard let pool = eligible(candidates) else { return nil }
        switch algorithm {
        case .roundRobin: return pickRoundRobin(pool)
        case .leastOutstandingRequests: return pickLeastOutstanding(pool)
        case .weightedRandom: return Self.pickWeightedRandom(pool, using: &generator)
        }
    }

    private static func pickWeightedRandom(_ pool: [TargetCandidate], using generator: inout some RandomNumberGenerator) -> TargetEndpoint {
        let total = pool.reduce(0) { $0 + max($1.effectiveWeight, 1) }
        var roll = Int.random(in: 0..<total, using: &generator)
        for candidate in pool {
            roll -= max(candidate.effectiveWeight, 1)
            if roll < 0 { return candidate.endpoint }
        }
        return pool[pool.count - 1].endpoint
    }

    private mutating func pickRoundRobin(_ pool: [TargetCandidate]) -> TargetEndpoint {
        // Equal weights (no target slow-starting: the usual case) make smooth weighted round
        // robin a rotation, taken without its scores.
        let weight = pool[0].effectiveWeight
        if pool.allSatisfy({ $0.effectiveWeight == weight }) {
            if !scores.isEmpty { scores = [:] }
            let index = rotation % pool.count
            rotation = index + 1
            return pool[index].endpoint
        }
        if scores.count > pool.count * 2 {
            let keys = Set(pool.map(\.endpoint.key))
            scores = scores.filter { keys.contains($0.key) }
        }
        var total = 0
        var best: TargetEndpoint?
        var bestScore = Int.min
        for candidate in pool {
            let weight = max(candidate.effectiveWeight, 1)
            total += weight
            let score = scores[candidate.endpoint.key, default: 0] + weight
            scores[candidate.endpoint.key] = score
            if score > bestScore {
                bestScore = score
                best = candidate.endpoint
            }
        }
        let chosen = best ?? pool[0].endpoint
        scores[chosen.key, default: 0] -= total
        return chosen
    }

    private mutating func pickLeastOutstanding(_ pool: [TargetCandidate]) -> TargetEndpoint {
        tieBreakOffset = (tieBreakOffset + 1) % pool.count
        var best = pool[tieBreakOffset]
        for step in 1..<max(pool.count, 1) {
            let candidate = pool[(tieBreakOffset + step) % pool.count]
            // Compare outstanding/weight without division: a/wa < b/wb  <=>  a*wb < b*wa.
            let candidateLoad = candidate.outstandingRequests * max(best.endpoint.weight, 1)
            let bestLoad = best.outstandingRequests * max(candidate.endpoint.weight, 1)
            if candidateLoad < bestLoad { best = candidate }
        }
        return best.endpoint
    }
}
