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
    private(set) var health = TargetHealthTable()
    private var pickers: [String: TargetPicker] = [:]
    private var outstanding: [String: [TargetEndpoint.Key: Int]] = [:]

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
    /// ``finish(group:target:)``.
    mutating func select(group: String) -> Selection {
        guard pickers[group] != nil else { return .noRegisteredTargets }
        let counts = outstanding[group] ?? [:]
        let candidates = (health.entries[group] ?? [:]).values
            .sorted { ($0.endpoint.address, $0.endpoint.port) < ($1.endpoint.address, $1.endpoint.port) }
            .map { entry in
                TargetCandidate(
                    endpoint: entry.endpoint, isRoutable: entry.health.isRoutable,
                    isDraining: entry.health.state == .draining, outstandingRequests: counts[entry.endpoint.key] ?? 0
                )
            }
        // In place: a copy of the picker would copy its scores on every request.
        let chosen = pickers[group]!.pick(from: candidates)
        guard let chosen else { return .noRegisteredTargets }
        outstanding[group, default: [:]][chosen.key, default: 0] += 1
        return .target(chosen)
    }

    /// A request sent by ``select(group:)`` has completed.
    mutating func finish(group: String, target: TargetEndpoint.Key) {
        guard let count = outstanding[group]?[target] else { return }
        outstanding[group]?[target] = count > 1 ? count - 1 : nil
    }

    /// Requests outstanding on a target.
    func outstandingRequests(group: String, target: TargetEndpoint.Key) -> Int {
        outstanding[group]?[target] ?? 0
    }

    mutating func record(_ result: TargetHealth.CheckResult, group: String, target: TargetEndpoint.Key) {
        health.record(result, group: group, target: target)
    }

    mutating func expireDraining(now: NIODeadline) {
        health.expireDraining(now: now)
    }
}
