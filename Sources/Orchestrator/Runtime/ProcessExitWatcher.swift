import CNetlink
import Foundation
import Kernel
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One process that ended, as the exit watcher saw it: its pid and, for a child of this process,
/// the wait status `waitpid` collected (`nil` for an adopted process, which init reaps).
struct ProcessExit: Sendable, Equatable {
    let pid: pid_t
    let waitStatus: Int32?

    /// `exited with status N`, `killed by signal N`, or `exited` when the status is unknown.
    var description: String {
        guard let code = waitStatus else { return "exited (status unknown: not a child of this supervisor)" }
        let signal = code & 0x7f
        return signal == 0 ? "exited with status \((code >> 8) & 0xff)" : "killed by signal \(signal)"
    }
}

/// Tells when processes end, without polling: one dedicated thread waits in `poll(2)` on a pidfd
/// per watched process plus an eventfd that wakes it when the set changes. Each exit is
/// delivered once into ``exits``; a child of this process is reaped (`waitpid(pid, WNOHANG)`)
/// right after its pidfd fires, so its status comes with the event.
///
/// The thread is the only blocking part, and it is not one of the cooperative pool's or NIO's.
final class ProcessExitWatcher: Sendable {
    /// The exits, in the order the thread saw them; finished by ``close()``.
    let exits: AsyncStream<ProcessExit>
    private let continuation: AsyncStream<ProcessExit>.Continuation
    private let wakeFD: Int32
    private let watched = Mutex(Watched())

    private struct Watched {
        var pidfds: [pid_t: Int32] = [:]
        var closed = false
        /// Set by the thread when it closed the eventfd: nobody writes to it after that.
        var finished = false
    }

    init() throws {
        let fd = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard fd >= 0 else { throw SystemError("creating the exit watcher's eventfd", errno: errno) }
        wakeFD = fd
        (exits, continuation) = AsyncStream.makeStream(of: ProcessExit.self)
        let thread = Thread { [self] in watchUntilClosed() }
        thread.name = "lbnet-exit-watcher"
        thread.start()
    }

    /// Opens a pidfd for `pid` and watches it. Throws `ESRCH` when the process is gone (a child
    /// that already exited but is not reaped still gets a pidfd, which fires at once).
    func watch(_ pid: pid_t) throws {
        let fd = lbnet_pidfd_open(pid)
        guard fd >= 0 else { throw SystemError("pidfd_open for pid \(pid)", errno: -fd) }
        watch(pid, pidfd: fd)
    }

    /// Watches an already opened pidfd (which the watcher now owns and closes).
    func watch(_ pid: pid_t, pidfd: Int32) {
        let accepted = watched.withLock { state -> Bool in
            guard !state.closed else { return false }
            if let previous = state.pidfds.updateValue(pidfd, forKey: pid) { Glibc.close(previous) }
            wake()
            return true
        }
        if !accepted { Glibc.close(pidfd) }
    }

    /// Stops the thread and finishes ``exits``; processes still watched are not reported.
    func close() {
        watched.withLock { state in
            state.closed = true
            if !state.finished { wake() }
        }
    }

    /// Writes to the eventfd; only under the lock, while the thread has not closed it.
    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, MemoryLayout<UInt64>.size)
    }

    /// The thread's loop: poll the eventfd and every pidfd; report and forget those that fired.
    private func watchUntilClosed() {
        while true {
            let (snapshot, closed) = watched.withLock { ($0.pidfds, $0.closed) }
            if closed { break }
            var descriptors = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            let pids = Array(snapshot.keys)
            descriptors += pids.map { pollfd(fd: snapshot[$0]!, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                // Only EFAULT, EINVAL or ENOMEM: the supervisor cannot see exits any more.
                fatalError("exit watcher: poll failed: \(String(cString: strerror(errno)))")
            }
            if descriptors[0].revents != 0 {
                var count: UInt64 = 0
                _ = Glibc.read(wakeFD, &count, MemoryLayout<UInt64>.size)
            }
            for (index, pid) in pids.enumerated() where descriptors[index + 1].revents != 0 {
                let fd = snapshot[pid]!
                let current = watched.withLock { state -> Bool in
                    guard state.pidfds[pid] == fd else { return false }
                    state.pidfds[pid] = nil
                    return true
                }
                guard current else { continue }
                Glibc.close(fd)
                continuation.yield(ProcessExit(pid: pid, waitStatus: Self.reap(pid)))
            }
        }
        watched.withLock { state in
            state.pidfds.values.forEach { _ = Glibc.close($0) }
            state.pidfds.removeAll()
            Glibc.close(wakeFD)
            state.finished = true
        }
        continuation.finish()
    }

    /// The wait status of `pid` if it is a child of this process, reaping it; `nil` otherwise.
    private static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result < 0 && errno == EINTR { continue }
            return nil
        }
    }
}
