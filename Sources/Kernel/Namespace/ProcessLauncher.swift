import CNetlink
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts processes inside a network namespace (entering it between fork and exec, as
/// `ip netns exec` does) and finds the processes that live in a namespace.
public enum ProcessLauncher {
    /// Starts `arguments` (searched in `PATH`) in namespace `namespace`, in a new session,
    /// with stdout and stderr appended to `logPath`. `input`, when given, is the process's
    /// standard input (through a pipe, so it is never in a file or the command line; at most
    /// ``maximumInput`` bytes), else `/dev/null`. With `user`, the process drops root for that
    /// user and group after entering the namespace and starts in `/`, and its log is mode 0600
    /// (else 0644). With `resolverConfiguration`, the process has a mount namespace of its own
    /// in which that text is its `/etc/resolv.conf` (written beside the log, bound, removed).
    /// Returns the pid.
    public static func spawn(_ arguments: [String], namespace: String?, logPath: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             input: String? = nil, user: ProcessUser? = nil, resolverConfiguration: String? = nil) throws -> pid_t {
        let namespaceFD = try namespace.map(NetworkNamespace.open) ?? -1
        defer { if namespaceFD >= 0 { close(namespaceFD) } }
        // What an unprivileged workload prints may hold its secrets: its log is root's alone.
        let logMode: mode_t = user == nil ? 0o644 : 0o600
        let logFD = Glibc.open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, logMode)
        guard logFD >= 0 else { throw SystemError("opening log \(logPath)", errno: errno) }
        defer { close(logFD) }
        if user != nil { fchmod(logFD, logMode) }
        let inputFD = try input.map(Self.pipe) ?? -1
        defer { if inputFD >= 0 { close(inputFD) } }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let resolverPath = "\(logPath).resolv.conf"
        if let resolverConfiguration {
            // Read by the child before it execs, then held by its mount: removed once spawn returns.
            guard FileManager.default.createFile(atPath: resolverPath, contents: Data(resolverConfiguration.utf8),
                                                 attributes: [.posixPermissions: 0o644]) else {
                throw SystemError("writing \(resolverPath)", errno: errno)
            }
        }
        defer { if resolverConfiguration != nil { unlink(resolverPath) } }
        let pid = lbnet_spawn(namespaceFD, argv, envp, inputFD, logFD, user.map { Int($0.uid) } ?? -1, user.map { Int($0.gid) } ?? -1,
                              resolverConfiguration == nil ? nil : resolverPath)
        guard pid > 0 else {
            throw SystemError("starting \(arguments.joined(separator: " ")) in \(namespace ?? "the root namespace")", errno: -pid)
        }
        return pid
    }

    /// The most a process's standard input may hold: what a pipe buffers by default, so that
    /// writing it all before the process starts never blocks.
    public static let maximumInput = 65536

    /// The read end of a close-on-exec pipe that holds `text`, its write end closed.
    private static func pipe(_ text: String) throws -> Int32 {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumInput else {
            throw SystemError("a process's standard input of \(bytes.count) bytes (at most \(maximumInput))", errno: E2BIG)
        }
        var ends: [Int32] = [-1, -1]
        // Glibc's module has no pipe2; lbnet_spawn's children close every other descriptor anyway.
        guard Glibc.pipe(&ends) == 0 else { throw SystemError("making a pipe", errno: errno) }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        defer { close(ends[1]) }
        let written = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let error = errno
            close(ends[0])
            throw SystemError("writing a process's standard input", errno: written < 0 ? error : EIO)
        }
        return ends[0]
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
