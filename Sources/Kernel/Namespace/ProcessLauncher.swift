import CNetlink
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts processes inside a network namespace (entering it between fork and exec, as
/// `ip netns exec` does) and finds the processes that live in a namespace.
public enum ProcessLauncher {
    /// Starts `arguments` (searched in `PATH`) in namespace `namespace`, in a new session,
    /// with stdout and stderr appended to `logPath`. Returns the pid.
    public static func spawn(_ arguments: [String], namespace: String?, logPath: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> pid_t {
        let namespaceFD = try namespace.map(NetworkNamespace.open) ?? -1
        defer { if namespaceFD >= 0 { close(namespaceFD) } }
        let logFD = Glibc.open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard logFD >= 0 else { throw SystemError("opening log \(logPath)", errno: errno) }
        defer { close(logFD) }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let pid = lbnet_spawn(namespaceFD, argv, envp, logFD)
        guard pid > 0 else {
            throw SystemError("starting \(arguments.joined(separator: " ")) in \(namespace ?? "the root namespace")", errno: -pid)
        }
        return pid
    }

    /// The pids of every process whose network namespace is the one with `inode`.
    public static func processes(inNamespaceWithInode inode: UInt64) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry) else { return nil }
            var info = stat()
            guard stat("/proc/\(pid)/ns/net", &info) == 0, UInt64(info.st_ino) == inode else { return nil }
            return pid
        }
    }

    /// Whether `pid` exists and is not a zombie.
    public static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = status.lastIndex(of: ")") else { return false }
        let state = status[status.index(close, offsetBy: 2)...].first
        return state != "Z" && state != "X"
    }
}
