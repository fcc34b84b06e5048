import Health
import NIOCore

/// Which target a request goes to, and the bookkeeping behind it: target health, each group's
/// picker, and the requests outstanding per target. Pure: the caller serialises access.
struct LoadBalancingState: Sendable {
    /// The outcome of choosing a target for a request.
    enum Selection: Sendable, Equatable {
        case target(TargetEndpoint)
        /// The group has no registered target this node may use (AWS answers 503).
        case noRegisteredTargets
    }

    let nodeZone: String
    private(set) var health = TargetHealthTable() {
        didSet {
            orderedEntries = [:]
            plainCandidates = [:]
        }
    }
    /// Each group's health entries by address and port: sorted when first asked for after
    /// `health` changed, not on every request.
    private var orderedEntries: [String: [TargetHealthTable.Entry]] = [:]
    /// Each group's candidates when neither outstanding counts nor a slow start shape them
    /// (every algorithm but least outstanding requests, no target ramping up): made when first
    /// asked for after `health` changed, not on every request.
    private var plainCandidates: [String: [TargetCandidate]] = [:]
    private var pickers: [String: TargetPicker] = [:]
    private var outstanding: [String: [TargetEndpoint.Key: Int]] = [:]
    /// Draws for `weighted_random`.
    private var random = FastRandomNumberGenerator()

    init(nodeZone: String) {
        self.nodeZone = nodeZone
    }

    /// Applies a new configuration; pickers of unchanged groups keep their rotation.
    mutating func apply(_ configuration: ProxyConfiguration, now: NIODeadline) {
        health.apply(configuration, now: now)
        var nextPickers: [String: TargetPicker] = [:]
        for group in configuration.targetGroups {
            if let picker = pickers[group.name], picker.algorithm == group.algorithm,
                picker.crossZoneEnabled == group.crossZoneEnabled
            {
                nextPickers[group.name] = picker
            } else {
                nextPickers[group.name] = TargetPicker(
                    algorithm: group.algorithm, crossZoneEnabled: group.crossZoneEnabled, nodeZone: nodeZone
                )
            }
        }
        pickers = nextPickers
    }

    /// Chooses a target for a new request of `group` and counts it as outstanding until
    /// ``finish(group:target:)``. `preferring` (a sticky request's target, by key description)
    /// is chosen while the group would use it; otherwise the group's algorithm picks.
    mutating func select(group: String, preferring: String? = nil, now: NIODeadline = .now()) -> Selection {
        guard let algorithm = pickers[group]?.algorithm else { return .noRegisteredTargets }
        let candidates = candidates(of: group, algorithm: algorithm, now: now)
        let sticky = preferring.flatMap { preferred in
            pickers[group]!.eligible(candidates)?.first { $0.endpoint.key.description == preferred }?.endpoint
        }
        // In place: a copy of the picker would copy its scores on every request.
        let chosen = sticky ?? pickers[group]!.pick(from: candidates, using: &random)
        guard let chosen else { return .noRegisteredTargets }
        // Only least outstanding requests reads the counts.
        if algorithm == .leastOutstandingRequests { outstanding[group, default: [:]][chosen.key, default: 0] += 1 }
        return .target(chosen)
    }

    /// The group's targets as selection sees them now.
    private mutating func candidates(of group: String, algorithm: TargetGroupConfiguration.Algorithm, now: NIODeadline) -> [TargetCandidate] {
        // Only least outstanding requests looks at the counts.
        let countsMatter = algorithm == .leastOutstandingRequests
        if !countsMatter, let plain = plainCandidates[group] { return plain }
        let counts = countsMatter ? outstanding[group] ?? [:] : [:]
        let entries = entries(of: group)
        let slowStarting = entries.contains { $0.slowStartBegan != nil }
        let candidates = entries.map { entry in
            TargetCandidate(
                endpoint: entry.endpoint, isRoutable: entry.health.isRoutable,
                isDraining: entry.health.state == .draining, outstandingRequests: counts[entry.endpoint.key] ?? 0,
                effectiveWeight: slowStarting ? Self.rampedWeight(entry, group: group, health: health, now: now) : nil
            )
        }
        if !countsMatter, !slowStarting { plainCandidates[group] = candidates }
        return candidates
    }

    private mutating func entries(of group: String) -> [TargetHealthTable.Entry] {
        if let ordered = orderedEntries[group] { return ordered }
        let ordered = (health.entries[group] ?? [:]).values
            .sorted { ($0.endpoint.address, $0.endpoint.port) < ($1.endpoint.address, $1.endpoint.port) }
        orderedEntries[group] = ordered
        return ordered
    }

    /// A target's weight in thousandths, scaled by its slow-start share (at least 1).
    private static func rampedWeight(_ entry: TargetHealthTable.Entry, group: String, health: TargetHealthTable, now: NIODeadline) -> Int {
        let share = health.slowStartShare(group: group, entry: entry, now: now)
        return max(Int((Double(entry.endpoint.weight * 1000) * share).rounded()), entry.endpoint.weight > 0 ? 1 : 0)
    }

    /// A request sent by ``select(group:preferring:now:)`` has completed.
    mutating func finish(group: String, target: TargetEndpoint.Key) {
        guard !outstanding.isEmpty, let count = outstanding[group]?[target] else { return }
        outstanding[group]?[target] = count > 1 ? count - 1 : nil
    }

    /// Requests outstanding on a target.
    func outstandingRequests(group: String, target: TargetEndpoint.Key) -> Int {
        outstanding[group]?[target] ?? 0
    }

    mutating func record(_ result: TargetHealth.CheckResult, group: String, target: TargetEndpoint.Key, now: NIODeadline = .now()) {
        health.record(result, group: group, target: target, now: now)
    }

    mutating func expireDraining(now: NIODeadline) {
        health.expireDraining(now: now)
    }
}
