import Health
import NIOCore

/// The health of every target of every target group on this node, kept in step with the
/// configuration: new targets start `initial`; targets marked draining or removed drain for the
/// group's deregistration delay and are then forgotten (`unused`). Pure: time is passed in.
struct TargetHealthTable: Sendable {
    struct Entry: Sendable, Equatable {
        var endpoint: TargetEndpoint
        var health: TargetHealth
        /// When a draining target becomes unused.
        var drainingDeadline: NIODeadline?
    }

    /// What the table knows of one target group's settings.
    struct GroupSettings: Sendable, Equatable {
        var healthCheck: HealthCheckConfiguration
        var deregistrationDelay: TimeAmount
    }

    private(set) var entries: [String: [TargetEndpoint.Key: Entry]] = [:]
    private(set) var settings: [String: GroupSettings] = [:]

    /// Brings the table in line with `configuration` at time `now`.
    mutating func apply(_ configuration: ProxyConfiguration, now: NIODeadline) {
        var next: [String: [TargetEndpoint.Key: Entry]] = [:]
        var nextSettings: [String: GroupSettings] = [:]
        for group in configuration.targetGroups {
            let groupSettings = GroupSettings(
                healthCheck: group.healthCheck, deregistrationDelay: .seconds(Int64(group.deregistrationDelaySeconds))
            )
            let checksChanged = settings[group.name].map { $0.healthCheck.enabled != group.healthCheck.enabled } ?? false
            var previous = checksChanged ? [:] : entries[group.name] ?? [:]
            var current: [TargetEndpoint.Key: Entry] = [:]
            for target in group.targets {
                let endpoint = TargetEndpoint(target, in: group)
                var entry = previous.removeValue(forKey: endpoint.key)
                    .flatMap { $0.health.state == .draining && target.state == .registered ? nil : $0 }
                    ?? Entry(endpoint: endpoint, health: .registered(healthCheckEnabled: group.healthCheck.enabled))
                entry.endpoint = endpoint
                if target.state == .draining { Self.drain(&entry, delay: groupSettings.deregistrationDelay, now: now) }
                current[endpoint.key] = entry
            }
            for (key, var removed) in previous {
                Self.drain(&removed, delay: groupSettings.deregistrationDelay, now: now)
                current[key] = removed
            }
            next[group.name] = current
            nextSettings[group.name] = groupSettings
        }
        entries = next
        settings = nextSettings
        expireDraining(now: now)
    }

    /// Forgets draining targets whose deregistration delay is over.
    mutating func expireDraining(now: NIODeadline) {
        for (group, groupEntries) in entries {
            entries[group] = groupEntries.filter { _, entry in
                guard let deadline = entry.drainingDeadline else { return true }
                return deadline > now
            }
        }
    }

    /// Records a health check result for a target, if it is still being checked.
    mutating func record(_ result: TargetHealth.CheckResult, group: String, target: TargetEndpoint.Key) {
        guard let thresholds = settings[group]?.healthCheck.settings.thresholds else { return }
        entries[group]?[target]?.health.record(result, thresholds: thresholds)
    }

    /// The health of one target; `unused` when the group does not know it.
    func health(group: String, target: TargetEndpoint.Key) -> TargetHealth {
        entries[group]?[target]?.health ?? .notRegistered
    }

    /// The targets health checks should probe now, with their group's settings.
    var checkedTargets: [(group: String, endpoint: TargetEndpoint, healthCheck: HealthCheckConfiguration)] {
        entries.flatMap { group, groupEntries in
            groupEntries.values.compactMap { entry in
                guard entry.health.isChecked, let settings = settings[group] else { return nil }
                return (group, entry.endpoint, settings.healthCheck)
            }
        }
    }

    private static func drain(_ entry: inout Entry, delay: TimeAmount, now: NIODeadline) {
        guard entry.health.state != .draining else { return }
        entry.health.beginDraining()
        entry.drainingDeadline = now + delay
    }
}
