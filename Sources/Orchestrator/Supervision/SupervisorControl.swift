import Foundation
import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// How `up`, `down` and `status` talk to the supervisor: through its files in the state
/// directory and signals.
public struct SupervisorControl: Sendable {
    public let directory: StateDirectory
    /// The `lbnet` binary that runs `supervise`.
    public let executable: String

    public init(directory: StateDirectory, executable: String) {
        self.directory = directory
        self.executable = executable
    }

    /// The supervisor's pid if one is running for this state directory.
    public func runningPID() -> pid_t? {
        guard let status = try? directory.loadSupervisorStatus(), ProcessLauncher.isRunning(status.pid),
              let command = try? String(contentsOfFile: "/proc/\(status.pid)/cmdline", encoding: .utf8),
              command.contains("supervise") else { return nil }
        return status.pid
    }

    /// The processes that are running now, by name, with the spec they run.
    public func runningProcesses() -> [String: ProcessSpec] {
        guard runningPID() != nil, let status = try? directory.loadSupervisorStatus() else { return [:] }
        return status.processes.compactMapValues { process in
            process.pid.map(ProcessLauncher.isRunning) == true ? process.spec : nil
        }
    }

    /// Hands `processes` to the supervisor (starting it if needed) and waits until each runs the
    /// given spec, or throws naming those that did not start, with their log file.
    public func apply(_ processes: [ProcessSpec], timeout: TimeInterval = 15) throws {
        try directory.saveDesiredProcesses(processes)
        if let pid = runningPID() {
            kill(pid, SIGHUP)
        } else {
            unlink(directory.supervisorStatusPath)
            _ = try ProcessLauncher.spawn([executable, "supervise", "--state-dir", directory.path],
                                          namespace: nil, logPath: directory.supervisorLogPath)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let running = runningProcesses()
            let missing = processes.filter { running[$0.name] != $0 }
            let stale = running.keys.filter { name in !processes.contains { $0.name == name } }
            if missing.isEmpty && stale.isEmpty { return }
            if Date() >= deadline {
                throw SupervisorError.processesNotRunning(missing.map { ($0.name, directory.logPath(process: $0.name)) })
            }
            usleep(50_000)
        }
    }

    /// Stops the supervisor (which stops its processes) and waits for it to exit.
    public func stop(timeout: TimeInterval = 10) {
        guard let pid = runningPID() else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while ProcessLauncher.isRunning(pid) && Date() < deadline { usleep(50_000) }
        if ProcessLauncher.isRunning(pid) { kill(pid, SIGKILL) }
    }
}

/// Processes the supervisor could not get running.
public enum SupervisorError: Error, CustomStringConvertible {
    case processesNotRunning([(name: String, log: String)])

    public var description: String {
        switch self {
        case .processesNotRunning(let list):
            "processes not running: " + list.map { "\($0.name) (see \($0.log))" }.joined(separator: ", ")
        }
    }
}
