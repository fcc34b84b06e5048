import Foundation
import Synchronization

/// A child process started with `posix_spawnp` and reaped with `waitpid`: tests run many
/// commands from parallel suites, and Foundation's `Process` can miss a child's exit there and
/// wait forever. Waiting happens on a thread of its own (`onOwnThread`), never on the
/// cooperative pool.
final class ChildProcess: Sendable {
    let pid: pid_t
    /// Whether the child was reaped: its pid may then belong to another process, so `signal`
    /// checks this under the same lock that `reap` sets it under.
    private let reaped = Mutex(false)

    /// Starts `arguments` (searched in `PATH`) with its standard streams on the given
    /// descriptors (`/dev/null` when `nil`).
    init(_ arguments: [String], stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        for (source, target) in [(stdin ?? null, 0), (stdout ?? null, 1), (stderr ?? null, 2)] {
            posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
        }
        // Nothing else of this process: the loopback proxy tests' listeners are not close-on-exec
        // (seen in `ss -p`), and a child (`lbnet up`, a curl) that inherited one a test has
        // closed keeps it accepting, so a connect that should be refused hangs.
        _ = Self.addCloseFrom(&actions, 3)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawnp(&child, arguments[0], &actions, nil, argv, environ)
        guard result == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL, userInfo: [NSLocalizedDescriptionKey: "spawning \(arguments[0])"])
        }
        pid = child
    }

    /// Waits for the exit status; after `timeout` the child is killed (status 137). The wait
    /// blocks a thread of its own, not the caller's.
    @discardableResult
    func wait(timeout: TimeInterval = 120) async -> Int32 {
        let killer = Task {
            try await Task.sleep(for: .seconds(timeout))
            signal(SIGKILL)
        }
        defer { killer.cancel() }
        return await onOwnThread { self.reap() }
    }

    /// Runs `body`, then kills and reaps the child, also when `body` throws.
    func killed<T>(after body: () async throws -> T) async rethrows -> T {
        do {
            let result = try await body()
            signal(SIGKILL)
            await wait()
            return result
        } catch {
            signal(SIGKILL)
            await wait()
            throw error
        }
    }

    /// Sends signal `number` unless the child was reaped already.
    func signal(_ number: Int32) {
        reaped.withLock { reaped in
            if !reaped { kill(pid, number) }
        }
    }

    /// Blocks until the child exits (`waitid` with `WNOWAIT` leaves it a zombie, so its pid
    /// stays its own), then reaps it under the lock `signal` takes. -1 if it was reaped before.
    private func reap() -> Int32 {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            if errno != EINTR { return -1 }
        }
        return reaped.withLock { reaped in
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            reaped = true
            return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not declare (it needs `_GNU_SOURCE`): looked up once by name.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("glibc 2.34 or later is needed: posix_spawn_file_actions_addclosefrom_np is missing")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// A pipe whose ends close on exec (a child gets only the end it is given).
    static func pipe() -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        Glibc.pipe(&ends)
        ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }
}
