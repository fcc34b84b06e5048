import Health
import NIOCore
import Synchronization

/// Runs health checks for every checked target of the node on its own schedule (each target
/// every `intervalSeconds`, the first check right away) and feeds the results into the
/// node's target health; also retires draining targets whose delay is over.
final class HealthChecker: Sendable {
    private struct Schedule {
        var nextDue: [String: NIODeadline] = [:]
        var inFlight: Set<String> = []
        var ticker: RepeatedTask?
    }

    private let core: ProxyCore
    private let eventLoop: EventLoop
    /// How long one configured second lasts (one second, except in tests).
    private let second: TimeAmount
    private let schedule = Mutex(Schedule())

    init(core: ProxyCore, eventLoop: EventLoop, second: TimeAmount = .seconds(1)) {
        self.core = core
        self.eventLoop = eventLoop
        self.second = second
    }

    /// Starts checking; ticks ten times per configured second.
    func start() {
        let tick = TimeAmount.nanoseconds(max(second.nanoseconds / 10, 1_000_000))
        let task = eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: tick) { [weak self] _ in self?.tick() }
        schedule.withLock { $0.ticker = task }
    }

    func stop() {
        schedule.withLock { state in
            state.ticker?.cancel()
            state.ticker = nil
        }
    }

    private func tick() {
        core.expireDraining()
        let now = NIODeadline.now()
        let targets = core.healthTable.checkedTargets
        let known = Set(targets.map { Self.key($0.group, $0.endpoint) })
        let due = schedule.withLock { state in
            state.nextDue = state.nextDue.filter { known.contains($0.key) }
            return targets.filter { target in
                let key = Self.key(target.group, target.endpoint)
                guard !state.inFlight.contains(key), state.nextDue[key].map({ $0 <= now }) ?? true else { return false }
                state.inFlight.insert(key)
                state.nextDue[key] = now + target.healthCheck.settings.interval(second: second)
                return true
            }
        }
        for target in due {
            let key = Self.key(target.group, target.endpoint)
            let settings = target.healthCheck.settings
            HealthProbe.check(
                address: target.endpoint.address, trafficPort: target.endpoint.port, settings: settings,
                timeout: settings.timeout(second: second), on: eventLoop
            ).whenSuccess { [weak self] result in
                guard let self else { return }
                self.core.record(result, group: target.group, target: target.endpoint.key)
                self.schedule.withLock { _ = $0.inFlight.remove(key) }
            }
        }
    }

    private static func key(_ group: String, _ endpoint: TargetEndpoint) -> String {
        "\(group)/\(endpoint.key)"
    }
}
