import Foundation

/// A child process started with `posix_spawnp` and reaped with `waitpid`: tests run many
/// commands from parallel suites, and Foundation's `Process` can miss a child's exit there and
/// wait forever.
struct ChildProcess {
    let pid: pid_t

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
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawnp(&child, arguments[0], &actions, nil, argv, environ)
        guard result == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL, userInfo: [NSLocalizedDescriptionKey: "spawning \(arguments[0])"])
        }
        pid = child
    }

    /// Waits for the exit status; after `timeout` the child is killed (status 137).
    @discardableResult
    func wait(timeout: TimeInterval = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if reaped < 0 && errno != EINTR { return -1 }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return 137
            }
            usleep(10_000)
        }
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// A pipe whose ends close on exec (a child gets only the end it is given).
    static func pipe() -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        Glibc.pipe(&ends)
        ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }
}
