import Dispatch
import Foundation
import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// The long-running parent of every process lbnet runs (`lbnet supervise`, started by `up`):
/// starts the processes listed in the state directory inside their namespaces, restarts one that
/// exits (after a back-off that grows with quick failures), re-reads the list on SIGHUP, and on
/// SIGTERM stops them all and exits.
public final class Supervisor: @unchecked Sendable {
    private let directory: StateDirectory
    private var children: [String: Child] = [:]
    private var status: SupervisorStatus
    private let signals = SignalFlags()

    /// A running or waiting child.
    private struct Child {
        var spec: ProcessSpec
        var pid: pid_t?
        var restarts: Int
        var lastExit: String?
        var startedAt: Date
        var notBefore: Date
    }

    static let tick: useconds_t = 100_000
    static let stopGrace: TimeInterval = 3

    public init(directory: StateDirectory) {
        self.directory = directory
        status = SupervisorStatus(pid: getpid())
    }

    /// Runs until SIGTERM or SIGINT.
    public func run() throws -> Never {
        signals.install()
        try reload()
        while true {
            if signals.take(SIGTERM) || signals.take(SIGINT) {
                stopAll()
                unlink(directory.supervisorStatusPath)
                exit(0)
            }
            if signals.take(SIGHUP) { try? reload() }
            reap()
            startDue()
            publish()
            usleep(Self.tick)
        }
    }

    private func reload() throws {
        let desired = try directory.loadDesiredProcesses()
        let names = Set(desired.map(\.name))
        for (name, child) in children where !names.contains(name) || child.spec != desired.first(where: { $0.name == name }) {
            if let pid = child.pid { stop(pid) }
            children[name] = nil
        }
        for spec in desired where children[spec.name] == nil {
            children[spec.name] = Child(spec: spec, pid: nil, restarts: 0, lastExit: nil, startedAt: .distantPast, notBefore: .distantPast)
        }
    }

    private func startDue() {
        let now = Date()
        for (name, child) in children where child.pid == nil && child.notBefore <= now {
            var child = child
            do {
                child.pid = try ProcessLauncher.spawn(child.spec.arguments, namespace: child.spec.namespace,
                                                      logPath: directory.logPath(process: name))
                child.startedAt = now
            } catch {
                child.lastExit = "failed to start: \(error)"
                child.notBefore = now.addingTimeInterval(backoff(restarts: child.restarts))
                child.restarts += 1
            }
            children[name] = child
        }
    }

    /// Collects exited children and schedules their restart.
    private func reap() {
        while true {
            var code: Int32 = 0
            let pid = waitpid(-1, &code, WNOHANG)
            guard pid > 0 else { return }
            guard let (name, child) = children.first(where: { $0.value.pid == pid }) else { continue }
            var updated = child
            updated.pid = nil
            updated.lastExit = Self.describe(exitStatus: code)
            let ranLong = Date().timeIntervalSince(child.startedAt) > 10
            updated.restarts += 1
            updated.notBefore = Date().addingTimeInterval(ranLong ? 0.2 : backoff(restarts: child.restarts))
            children[name] = updated
        }
    }

    private func backoff(restarts: Int) -> TimeInterval { min(0.2 * pow(2, Double(min(restarts, 5))), 5) }

    private func stop(_ pid: pid_t) {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(Self.stopGrace)
        while Date() < deadline {
            if waitpid(pid, nil, WNOHANG) == pid { return }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, nil, 0)
    }

    private func stopAll() {
        let pids = children.values.compactMap(\.pid)
        pids.forEach { kill($0, SIGTERM) }
        let deadline = Date().addingTimeInterval(Self.stopGrace)
        var remaining = Set(pids)
        while !remaining.isEmpty && Date() < deadline {
            remaining = remaining.filter { waitpid($0, nil, WNOHANG) != $0 }
            if !remaining.isEmpty { usleep(20_000) }
        }
        for pid in remaining {
            kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
        }
        children.removeAll()
    }

    private func publish() {
        var next = SupervisorStatus(pid: getpid())
        for (name, child) in children {
            next.processes[name] = SupervisedProcess(spec: child.spec, pid: child.pid, restarts: child.restarts, lastExit: child.lastExit)
        }
        guard next != status else { return }
        status = next
        try? directory.saveSupervisorStatus(next)
    }

    static func describe(exitStatus code: Int32) -> String {
        let signal = code & 0x7f
        return signal == 0 ? "exited with status \((code >> 8) & 0xff)" : "killed by signal \(signal)"
    }
}

/// Signals turned into flags the supervisor's loop polls (no work happens in a signal handler).
final class SignalFlags: @unchecked Sendable {
    private let queue = DispatchQueue(label: "lbnet.supervisor.signals")
    private var pending: Set<Int32> = []
    private var sources: [any DispatchSourceSignal] = []

    func install() {
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in pending.insert(number) }
            source.resume()
            sources.append(source)
        }
    }

    func take(_ number: Int32) -> Bool {
        queue.sync { pending.remove(number) != nil }
    }
}
