import Foundation
import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// The lock that makes the daemon one per state directory: the daemon holds an exclusive
/// `flock` on `STATE/daemon.lock` for its whole life (the kernel drops it when the process
/// dies, SIGKILL included) and writes its pid into the file.
public struct DaemonLock: ~Copyable {
    private let fd: Int32

    /// Takes the lock, or returns `nil` when another daemon holds it.
    public init?(directory: StateDirectory) throws {
        try directory.create()
        let fd = open(directory.daemonLockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError("opening \(directory.daemonLockPath)", errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Whether a daemon holds the directory's lock (it may not have written its pid yet).
    public static func isHeld(_ directory: StateDirectory) -> Bool {
        let fd = open(directory.daemonLockPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) != 0 else {
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }

    /// Blocks until no daemon holds the lock (the holder exited).
    public static func waitUntilReleased(_ directory: StateDirectory) {
        let fd = open(directory.daemonLockPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        while flock(fd, LOCK_SH) != 0 && errno == EINTR {}
        flock(fd, LOCK_UN)
    }
}
