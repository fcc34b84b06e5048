import Dispatch
import Foundation
import Kernel
import Synchronization

/// Runs the NLB health checks of the applied topology: from each NLB node to each of its
/// targets (for an `alb` target group: to the ALB's nodes, which answer from their own targets'
/// health), at each target group's interval, concurrently. It keeps the `HealthRecord` and says
/// when a node's set of targets in rotation changed, so the datapath must be reconciled.
final class HealthChecker: @unchecked Sendable {
    /// One check to run: which node sends it, to which backend, how.
    struct Check: Hashable {
        let node: String
        let namespace: String
        let key: String
        let address: IPv4Address
        let port: Int
        let settings: NLBHealthCheckSettings

        func hash(into hasher: inout Hasher) {
            hasher.combine(node)
            hasher.combine(key)
        }

        static func == (lhs: Check, rhs: Check) -> Bool { lhs.node == rhs.node && lhs.key == rhs.key }
    }

    private(set) var record: HealthRecord
    private var checks: [Check] = []
    private var nextDue: [Check: Date] = [:]
    private var inFlight: Set<Check> = []
    private let results = Mutex<[(Check, String?)]>([])

    init(record: HealthRecord) { self.record = record }

    /// Replaces the checks with those of `model`, keeping what is known of targets that stay.
    func load(_ model: DeploymentModel, naming: Naming) {
        checks = model.networkLoadBalancerNodes.flatMap { node in
            node.listeners.flatMap { listener -> [Check] in
                guard let group = model.file.targetGroups.first(where: { $0.name == listener.targetGroup }) else { return [] }
                let settings = NLBHealthCheckSettings(group: group)
                return listener.backends.map {
                    Check(node: node.name, namespace: naming.hostNamespace(node.name), key: $0.key, address: $0.address,
                          port: settings.port ?? $0.port, settings: settings)
                }
            }
        }
        let wanted = Dictionary(grouping: checks, by: \.node).mapValues { Set($0.map(\.key)) }
        record.nodes = wanted.reduce(into: [:]) { result, entry in
            result[entry.key] = (record.nodes[entry.key] ?? [:]).filter { entry.value.contains($0.key) }
        }
        nextDue = nextDue.filter { checks.contains($0.key) }
    }

    /// What a tick changed: any target's health, and any node's set of targets in rotation.
    struct Outcome {
        var healthChanged = false
        var rotationChanged = false
    }

    /// Starts the checks that are due and folds in finished ones.
    func tick(now: Date = Date()) -> Outcome {
        let before = rotation()
        let recordBefore = record
        for (check, failure) in results.withLock({ finished in defer { finished.removeAll() }; return finished }) {
            inFlight.remove(check)
            var health = record.nodes[check.node]?[check.key] ?? TargetHealth()
            health.record(failure: failure, healthyThreshold: check.settings.healthyThreshold,
                          unhealthyThreshold: check.settings.unhealthyThreshold)
            record.nodes[check.node, default: [:]][check.key] = health
        }
        for check in checks where !inFlight.contains(check) && (nextDue[check] ?? .distantPast) <= now {
            inFlight.insert(check)
            nextDue[check] = now.addingTimeInterval(check.settings.interval)
            DispatchQueue.global().async {
                let failure = HealthProbe.check(from: check.namespace, address: check.address, port: check.port, settings: check.settings)
                self.results.withLock { $0.append((check, failure)) }
            }
        }
        return Outcome(healthChanged: record != recordBefore, rotationChanged: rotation() != before)
    }

    private func rotation() -> [String: Set<String>] {
        Dictionary(grouping: checks, by: \.node).mapValues { record.inRotation(node: $0[0].node, candidates: $0.map(\.key)) }
    }
}
