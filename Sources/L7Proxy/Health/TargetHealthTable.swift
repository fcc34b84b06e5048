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
        /// When the target's slow start began (it turned routable), while it lasts.
        var slowStartBegan: NIODeadline?
    }

    /// What the table knows of one target group's settings.
    struct GroupSettings: Sendable, Equatable {
        var healthCheck: HealthCheckConfiguration
        var deregistrationDelay: TimeAmount
        /// `slow_start.duration_seconds`; zero when off.
        var slowStart: TimeAmount = .zero
    }

    private(set) var entries: [String: [TargetEndpoint.Key: Entry]] = [:]
    private(set) var settings: [String: GroupSettings] = [:]

    /// Brings the table in line with `configuration` at time `now`.
    mutating func apply(_ configuration: ProxyConfiguration, now: NIODeadline) {
        var next: [String: [TargetEndpoint.Key: Entry]] = [:]
        var nextSettings: [String: GroupSettings] = [:]
        for group in configuration.targetGroups {
            let groupSettings = GroupSettings(
                healthCheck: group.healthCheck, deregistrationDelay: .seconds(Int64(group.deregistrationDelaySeconds)),
                slowStart: group.algorithm == .leastOutstandingRequests ? .zero : .seconds(Int64(group.slowStartSeconds))
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
                if groupSettings.slowStart == .zero { entry.slowStartBegan = nil }
                if target.state == .draining { Self.drain(&entry, delay: groupSettings.deregistrationDelay, now: now) }
                current[endpoint.key] = entry
            }
            for (key, var removed) in previous {
                Self.drain(&removed, delay: groupSettings.deregistrationDelay, now: now)
                current[key] = removed
            }
            // Targets routable from registration (checks disabled) start slowly beside those in service
            // before it (targets registered together into a group without any do not).
            let known = entries[group.name] ?? [:]
            let arrived = group.targets.map { TargetEndpoint($0, in: group).key }.filter { known[$0] == nil }
            if Self.hasTargetInService(current.filter { known[$0.key] != nil }, duration: groupSettings.slowStart, now: now) {
                for key in arrived where current[key]?.health.isRoutable == true && groupSettings.slowStart > .zero {
                    current[key]?.slowStartBegan = now
                }
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

    /// Records a health check result for a target, if it is still being checked. A target that
    /// turns routable begins its slow start (when the group has one); one that stops being
    /// routable ends it, so it starts again when the target is healthy again.
    mutating func record(_ result: TargetHealth.CheckResult, group: String, target: TargetEndpoint.Key,
                         now: NIODeadline = .now()) {
        guard let groupSettings = settings[group], var entry = entries[group]?[target] else { return }
        let wasRoutable = entry.health.isRoutable
        entry.health.record(result, thresholds: groupSettings.healthCheck.settings.thresholds)
        if !entry.health.isRoutable { entry.slowStartBegan = nil }
        entries[group]?[target] = entry
        if !wasRoutable, entry.health.isRoutable, var groupEntries = entries[group] {
            Self.beginSlowStart(of: target, in: &groupEntries, duration: groupSettings.slowStart, now: now)
            entries[group] = groupEntries
        }
    }

    /// Puts a target that just turned routable into slow start, as AWS does: only when the
    /// group has slow start and at least one other routable target is past its own.
    private static func beginSlowStart(of key: TargetEndpoint.Key, in entries: inout [TargetEndpoint.Key: Entry],
                                       duration: TimeAmount, now: NIODeadline) {
        guard duration > .zero, hasTargetInService(entries.filter { $0.key != key }, duration: duration, now: now) else { return }
        entries[key]?.slowStartBegan = now
    }

    /// Whether one of `entries` takes its full share: routable, not draining, past its slow start.
    private static func hasTargetInService(_ entries: [TargetEndpoint.Key: Entry], duration: TimeAmount, now: NIODeadline) -> Bool {
        entries.values.contains { entry in
            entry.health.isRoutable && entry.health.state != .draining && (entry.slowStartBegan.map { $0 + duration <= now } ?? true)
        }
    }

    /// The share (0-1] of its weight a target gets at `now`: below 1 during its slow start.
    func slowStartShare(group: String, entry: Entry, now: NIODeadline) -> Double {
        guard let began = entry.slowStartBegan, let duration = settings[group]?.slowStart, duration > .zero else { return 1 }
        let elapsed = now - began
        guard elapsed < duration else { return 1 }
        return max(Double(elapsed.nanoseconds) / Double(duration.nanoseconds), 0)
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
