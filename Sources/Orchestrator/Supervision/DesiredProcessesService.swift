import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
#if canImport(Glibc)
import Glibc
#endif

/// The part of `lbnet supervise` that hears `up`: at start and on every SIGHUP it hands the
/// processes listed in `STATE/desired-processes.json` to the supervisor; it publishes the
/// supervisor's processes in `STATE/supervisor.json` after every change (that is what `up`
/// and `status` read).
public struct DesiredProcessesService: Service {
    let supervisor: ProcessSupervisor
    let logger: Logger

    public init(supervisor: ProcessSupervisor, logger: Logger) {
        self.supervisor = supervisor
        self.logger = logger
    }

    /// What `onChange` of the supervisor should do: write the status file.
    public static func publisher(_ directory: StateDirectory) -> @Sendable ([String: SupervisedProcess]) -> Void {
        { processes in
            try? directory.saveSupervisorStatus(SupervisorStatus(pid: getpid(), processes: processes))
        }
    }

    public func run() async throws {
        // Trapped before the status file names this pid: `up` sends SIGHUP only after it saw it.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let directory = supervisor.directory
        await applyDesired()
        Self.publisher(directory)(supervisor.processes())
        for await _ in hangups.cancelOnGracefulShutdown() {
            await applyDesired()
        }
        unlink(directory.supervisorStatusPath)
    }

    private func applyDesired() async {
        do {
            try await supervisor.apply(supervisor.directory.loadDesiredProcesses())
        } catch {
            logger.error("cannot apply the desired processes", metadata: ["lbnet.error": "\(error)"])
        }
    }
}
