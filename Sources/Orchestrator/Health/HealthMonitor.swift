import Health
import Logging
import NIOCore
import Synchronization

/// Runs the NLB health checks: each target on its own schedule (the first check at once, then
/// every interval), each probe sent with NIO from the checking node's namespace, each result
/// fed into the target's health state machine. Every change of a target's health is an event.
public final class HealthMonitor: Sendable {
    private struct State {
        var targets: [String: HealthCheckTarget] = [:]
        var health: HealthRecord
        var schedules: [String: Task<Void, Never>] = [:]
    }

    private let loops: NamespaceEventLoops
    private let logger: Logger
    private let state: Mutex<State>
    private let continuation: AsyncStream<HealthEvent>.Continuation
    /// One event per change of one target's health.
    public let events: AsyncStream<HealthEvent>

    public init(loops: NamespaceEventLoops, initial: HealthRecord = HealthRecord(), logger: Logger) {
        self.loops = loops
        self.logger = logger
        state = Mutex(State(health: initial))
        (events, continuation) = AsyncStream.makeStream(of: HealthEvent.self)
    }

    /// Makes `targets` the set of checks: new ones start at once, removed ones stop and are
    /// forgotten, and those that stay keep their health (and their schedule, unless their
    /// settings changed).
    public func update(_ targets: [HealthCheckTarget]) {
        let wanted = Dictionary(targets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let started: [(String, HealthCheckTarget)] = state.withLock { state in
            for (id, target) in state.targets where wanted[id] != target {
                state.schedules.removeValue(forKey: id)?.cancel()
                state.targets[id] = nil
                if wanted[id] == nil { state.health.nodes[target.node]?[target.key] = nil }
            }
            var started: [(String, HealthCheckTarget)] = []
            for (id, target) in wanted where state.targets[id] == nil {
                state.targets[id] = target
                if state.health.nodes[target.node]?[target.key] == nil {
                    state.health.nodes[target.node, default: [:]][target.key] = .registered()
                }
                started.append((id, target))
            }
            state.health.nodes = state.health.nodes.filter { !$0.value.isEmpty }
            return started
        }
        for (id, target) in started {
            let task = Task { await self.check(target) }
            state.withLock { state in
                if state.targets[id] == target { state.schedules[id] = task } else { task.cancel() }
            }
        }
        Task { await loops.keep(only: Set(targets.map(\.namespace))) }
    }

    /// The health of every checked target now.
    public func record() -> HealthRecord { state.withLock { $0.health } }

    /// Stops every check and ends `events`.
    public func shutdown() async {
        let tasks = state.withLock { state in
            defer { state.schedules.removeAll() }
            return Array(state.schedules.values)
        }
        tasks.forEach { $0.cancel() }
        continuation.finish()
        await loops.shutdown()
    }

    /// Checks `target` every interval until cancelled.
    private func check(_ target: HealthCheckTarget) async {
        let interval = Duration.seconds(target.settings.intervalSeconds)
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let result: TargetHealth.CheckResult
            do {
                let loop = try await loops.loop(for: target.namespace)
                result = try await HealthProbe.check(address: target.address.description, trafficPort: target.trafficPort,
                                                     settings: target.settings, on: loop).get()
            } catch {
                result = .failed("cannot send the check from \(target.namespace): \(error)")
            }
            guard !Task.isCancelled else { return }
            record(result, for: target)
            try? await Task.sleep(until: started + interval, clock: .continuous)
        }
    }

    private func record(_ result: TargetHealth.CheckResult, for target: HealthCheckTarget) {
        let changed: TargetHealth? = state.withLock { state in
            guard state.targets[target.id] == target else { return nil }
            var health = state.health.nodes[target.node]?[target.key] ?? .registered()
            let before = health
            health.record(result, thresholds: target.settings.thresholds)
            state.health.nodes[target.node, default: [:]][target.key] = health
            return health.state != before.state || health.reason != before.reason ? health : nil
        }
        guard let changed else { return }
        logger.info("target health changed", metadata: [
            "node": "\(target.node)", "target": "\(target.key)", "state": "\(changed.state.rawValue)",
            "reason": "\(changed.reason?.rawValue ?? "-")",
        ])
        continuation.yield(HealthEvent(node: target.node, key: target.key, health: changed))
    }
}
