import CNetlink
import Foundation
import Kernel
import Logging
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Keeps a set of processes (`ProcessSpec`s) running, each in its namespace with its output
/// appended to `STATE/logs/NAME.log`.
///
/// - ``apply(_:)`` changes only what differs: starts new specs, stops removed ones, restarts
///   changed ones.
/// - A child that exits is restarted after a back-off that grows with quick failures (0.2 s
///   doubling up to 5 s), or 0.2 s after a run of more than 10 s.
/// - Exits are seen through pidfds by one watcher thread (``ProcessExitWatcher``), not by polling.
/// - Stopping sends SIGTERM to the child's process group, then SIGKILL after ``stopGrace``.
/// - Crash safety: every running child is recorded (spec, pid, start time) in
///   `STATE/processes.json`. A new supervisor adopts the recorded children that still run (same
///   pid and start time) instead of starting them twice, so target servers and proxies, and the
///   connections they carry, survive a killed supervisor.
///
/// As a `Service`, ``run()`` waits for graceful shutdown or cancellation, then stops every child.
public final class ProcessSupervisor: Service, Sendable {
    public static let defaultStopGrace: Duration = .seconds(3)
    /// A run longer than this counts as healthy: the next restart comes after the shortest delay.
    static let healthyRun: Duration = .seconds(10)

    public let directory: StateDirectory
    public let stopGrace: Duration
    private let logger: Logger
    private let watcher: ProcessExitWatcher
    private let state = Mutex(State())
    private let onChange: @Sendable ([String: SupervisedProcess]) -> Void

    private struct State {
        var children: [String: Child] = [:]
        /// The exit signal of every watched process: children, and those being stopped.
        var exitSignals: [pid_t: ExitSignal] = [:]
        var shutDown = false
    }

    /// A supervised process: running (with its pid) or waiting to be started again.
    private struct Child {
        var spec: ProcessSpec
        var running: Running?
        var restarts = 0
        var lastExit: String?
        var startedAt = ContinuousClock.now
        var restart: Task<Void, Never>?
    }

    private struct Running {
        let pid: pid_t
        let startTime: UInt64
        let exited: ExitSignal
    }

    /// Adopts the children recorded in `directory` that still run. `onChange` hears the
    /// processes after every change (start, exit, stop), outside any lock.
    public init(directory: StateDirectory, logger: Logger, stopGrace: Duration = ProcessSupervisor.defaultStopGrace,
                onChange: @escaping @Sendable ([String: SupervisedProcess]) -> Void = { _ in }) throws {
        self.directory = directory
        self.logger = logger
        self.stopGrace = stopGrace
        self.onChange = onChange
        try directory.create()
        watcher = try ProcessExitWatcher()
        adoptRecordedChildren()
        // Exits are handled by this task, which ends when shutdown() closes the watcher: stopping
        // children must see their exits whether run() is running, cancelled or never called.
        let exits = watcher.exits
        Task { [weak self] in
            for await exit in exits { self?.handle(exit) }
        }
    }

    // MARK: Service

    /// Supervises until graceful shutdown or cancellation, then stops every child.
    public func run() async throws {
        try? await gracefulShutdown()
        // Not in the (possibly cancelled) task of run(): the children get their grace period.
        await Task { await self.shutdown() }.value
    }

    // MARK: Changing the set

    /// Makes the supervised set `specs`: starts those not supervised, stops those not in
    /// `specs`, and stops then starts those whose spec changed (the old process is gone
    /// before the new one starts, so it may bind the same ports). Others are left alone.
    /// Throws when the supervisor was shut down or the record cannot be written.
    @discardableResult
    public func apply(_ specs: [ProcessSpec]) async throws -> ProcessChanges {
        let wanted = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        let (changes, stops) = try state.withLock { state -> (ProcessChanges, [(String, Running)]) in
            guard !state.shutDown else { throw ProcessSupervisorError.shutDown }
            var changes = ProcessChanges()
            var stops: [(String, Running)] = []
            for (name, child) in state.children where wanted[name] != child.spec {
                child.restart?.cancel()
                if let running = child.running { stops.append((name, running)) }
                state.children[name] = nil
                if wanted[name] == nil { changes.stopped.append(name) } else { changes.restarted.append(name) }
            }
            for (name, spec) in wanted where state.children[name] == nil {
                if !changes.restarted.contains(name) { changes.started.append(name) }
                state.children[name] = Child(spec: spec)  // started below, once the stops are done
            }
            changes.started.sort()
            changes.stopped.sort()
            changes.restarted.sort()
            return (changes, stops)
        }
        guard !changes.isEmpty else { return changes }
        await withDiscardingTaskGroup { group in
            for (name, running) in stops {
                group.addTask { await self.stop(name, running) }
            }
        }
        try state.withLock { state in
            for name in changes.started + changes.restarted {
                guard let child = state.children[name], child.running == nil, child.restart == nil,
                      child.spec == wanted[name] else { continue }
                start(name, in: &state)
            }
            try record(state)
        }
        publish()
        logger.info("processes changed", metadata: [
            "lbnet.started": "\(changes.started)", "lbnet.stopped": "\(changes.stopped)", "lbnet.restarted": "\(changes.restarted)",
        ])
        return changes
    }

    /// Every supervised process by name: its spec, its pid while running, restarts, last exit.
    public func processes() -> [String: SupervisedProcess] {
        state.withLock { Self.describe($0) }
    }

    /// Stops every child (SIGTERM, then SIGKILL after the grace period), empties the record
    /// and stops watching. Later calls to ``apply(_:)`` throw.
    public func shutdown() async {
        let stops = state.withLock { state -> [(String, Running)] in
            guard !state.shutDown else { return [] }
            state.shutDown = true
            let stops = state.children.compactMap { name, child -> (String, Running)? in
                child.restart?.cancel()
                return child.running.map { (name, $0) }
            }
            state.children.removeAll()
            return stops
        }
        await withDiscardingTaskGroup { group in
            for (name, running) in stops {
                group.addTask { await self.stop(name, running) }
            }
        }
        state.withLock { state in
            do {
                try record(state)
            } catch {
                logger.error("cannot write the process record", metadata: ["lbnet.error": "\(error)"])
            }
        }
        watcher.close()
        publish()
    }

    /// Stops watching and restarting, leaving the children running and recorded, as a killed
    /// supervisor would: the next supervisor on the directory adopts them (a hand-over, e.g.
    /// to a new version of the daemon). Later calls to ``apply(_:)`` throw.
    public func detach() {
        state.withLock { state in
            state.shutDown = true
            state.children.values.forEach { $0.restart?.cancel() }
        }
        watcher.close()
    }

    // MARK: Starting, stopping, exits

    /// Starts child `name` (which must not be running); on failure schedules another try.
    private func start(_ name: String, in state: inout State) {
        guard var child = state.children[name] else { return }
        child.restart = nil
        do {
            let spec = child.spec
            let pid = try ProcessLauncher.spawn(spec.arguments, namespace: spec.namespace, logPath: directory.logPath(process: name),
                                                environment: spec.user == nil ? ProcessInfo.processInfo.environment : ProcessUser.environment,
                                                input: spec.input, user: spec.user,
                                                resolverConfiguration: spec.nameserver.flatMap(IPv4Address.init).map(ResolverConfiguration.text))
            do {
                // A child is never gone before it is reaped, so only a lack of descriptors fails here.
                try watcher.watch(pid)
            } catch {
                // Unwatched, it could not be restarted or stopped: end it (SIGKILL, reaped at once).
                kill(pid, SIGKILL)
                waitpid(pid, nil, 0)
                throw error
            }
            let exited = ExitSignal()
            state.exitSignals[pid] = exited
            child.running = Running(pid: pid, startTime: ProcessRecord.startTime(of: pid) ?? 0, exited: exited)
            child.startedAt = .now
            logger.info("process started", metadata: ["lbnet.process": "\(name)", "lbnet.pid": "\(pid)"])
        } catch {
            child.lastExit = "failed to start: \(error)"
            logger.error("process did not start", metadata: ["lbnet.process": "\(name)", "lbnet.error": "\(error)"])
            child.restart = scheduleRestart(name, after: Self.backoff(restarts: child.restarts))
            child.restarts += 1
        }
        state.children[name] = child
    }

    /// SIGTERM to the process group, SIGKILL after the grace period; returns once it exited.
    private func stop(_ name: String, _ running: Running) async {
        Self.signal(running.pid, SIGTERM)
        if await running.exited.wait(upTo: stopGrace) { return }
        logger.warning("process ignored SIGTERM, killing it",
                       metadata: ["lbnet.process": "\(name)", "lbnet.pid": "\(running.pid)"])
        Self.signal(running.pid, SIGKILL)
        if !(await running.exited.wait(upTo: .seconds(10))) {
            logger.error("process did not exit after SIGKILL", metadata: ["lbnet.process": "\(name)", "lbnet.pid": "\(running.pid)"])
        }
    }

    /// Children are session leaders (the launcher calls setsid), so their group is their pid:
    /// signalling the group also reaches what a shell child started.
    private static func signal(_ pid: pid_t, _ number: Int32) {
        if kill(-pid, number) != 0 { kill(pid, number) }
    }

    private func handle(_ exit: ProcessExit) {
        let changed = state.withLock { state -> Bool in
            state.exitSignals.removeValue(forKey: exit.pid)?.fire()
            guard let (name, child) = state.children.first(where: { $0.value.running?.pid == exit.pid }) else { return false }
            var updated = child
            updated.running = nil
            updated.lastExit = exit.description
            let ranFor = ContinuousClock.now - child.startedAt
            let delay = ranFor > Self.healthyRun ? .milliseconds(200) : Self.backoff(restarts: child.restarts)
            updated.restarts += 1
            updated.restart = scheduleRestart(name, after: delay)
            state.children[name] = updated
            logger.warning("process exited, restarting", metadata: [
                "lbnet.process": "\(name)", "lbnet.pid": "\(exit.pid)", "lbnet.exit": "\(exit.description)",
                "lbnet.restartIn": "\(delay)",
            ])
            do {
                try record(state)
            } catch {
                logger.error("cannot write the process record", metadata: ["lbnet.error": "\(error)"])
            }
            return true
        }
        if changed { publish() }
    }

    private func scheduleRestart(_ name: String, after delay: Duration) -> Task<Void, Never> {
        Task { [weak self] in
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
            self?.restartIfDue(name)
        }
    }

    private func restartIfDue(_ name: String) {
        let restarted = state.withLock { state -> Bool in
            guard !state.shutDown, let child = state.children[name], child.running == nil, child.restart != nil else { return false }
            start(name, in: &state)
            do {
                try record(state)
            } catch {
                logger.error("cannot write the process record", metadata: ["lbnet.error": "\(error)"])
            }
            return true
        }
        if restarted { publish() }
    }

    /// 0.2 s after the first quick failure, doubling with each, at most 5 s.
    static func backoff(restarts: Int) -> Duration {
        .milliseconds(min(200 << min(restarts, 5), 5_000))
    }

    // MARK: Record and adoption

    private var recordPath: String { directory.supervisedProcessesPath }

    /// Writes every running child to the record (atomically; under the state lock, so the
    /// file follows the order of changes).
    private func record(_ state: State) throws {
        let records = state.children.compactMap { _, child in
            child.running.map { ProcessRecord(spec: child.spec, pid: $0.pid, startTime: $0.startTime) }
        }
        // Root-only: a spec's input may be an instance's user data.
        try AtomicFile.writeJSON(records.sorted { $0.spec.name < $1.spec.name }, to: recordPath, mode: 0o600)
    }

    /// Takes over the recorded children that still run: same pid, same start time. It cannot
    /// reap them (init does), but it watches them through their pidfds like its own.
    private func adoptRecordedChildren() {
        let records: [ProcessRecord]
        do {
            records = try AtomicFile.readJSON([ProcessRecord].self, from: recordPath) ?? []
        } catch {
            logger.warning("ignoring an unreadable process record", metadata: ["lbnet.error": "\(error)"])
            records = []
        }
        guard !records.isEmpty else { return }
        state.withLock { state in
            for record in records {
                let pidfd = lbnet_pidfd_open(record.pid)
                // Compared after opening the pidfd: if it is the recorded process now, the pidfd is its.
                guard pidfd >= 0, ProcessRecord.startTime(of: record.pid) == record.startTime else {
                    if pidfd >= 0 { close(pidfd) }
                    logger.info("recorded process is gone", metadata: ["lbnet.process": "\(record.spec.name)", "lbnet.pid": "\(record.pid)"])
                    continue
                }
                let exited = ExitSignal()
                state.exitSignals[record.pid] = exited
                state.children[record.spec.name] = Child(
                    spec: record.spec, running: Running(pid: record.pid, startTime: record.startTime, exited: exited))
                watcher.watch(record.pid, pidfd: pidfd)
                logger.info("adopted running process", metadata: ["lbnet.process": "\(record.spec.name)", "lbnet.pid": "\(record.pid)"])
            }
            do {
                try record(state)
            } catch {
                logger.error("cannot write the process record", metadata: ["lbnet.error": "\(error)"])
            }
        }
    }

    private func publish() {
        onChange(processes())
    }

    private static func describe(_ state: State) -> [String: SupervisedProcess] {
        state.children.mapValues { child in
            SupervisedProcess(spec: child.spec, pid: child.running?.pid, restarts: child.restarts, lastExit: child.lastExit)
        }
    }
}

/// Why the supervisor refused a request.
public enum ProcessSupervisorError: Error, CustomStringConvertible {
    case shutDown

    public var description: String {
        switch self {
        case .shutDown: "the process supervisor was shut down and starts no processes"
        }
    }
}
