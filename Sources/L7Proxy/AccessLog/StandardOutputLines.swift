import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Writes access log lines to standard output off the event loops: an event loop only appends
/// the entry to a bounded queue; one task on NIO's blocking thread pool formats the entries that
/// gathered into lines, writes them in as few `write(2)`s as it takes, and loops until the queue
/// is empty. The task starts ``gatheringDelay`` after the first entry that finds the writer idle
/// (at once when the entry comes from outside an event loop), so a busy node wakes the writer a
/// few hundred times a second, not once per request, and a line is out within milliseconds.
/// Beyond `entryLimit` entries waiting (a reader that stopped reading), entries are dropped and
/// counted on standard error.
final class StandardOutputLines: Sendable {
    private struct Buffer {
        var entries: [AccessLogEntry] = []
        var dropped = 0
        var writing = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// How long lines gather before the writer wakes.
    static let gatheringDelay = TimeAmount.milliseconds(5)

    /// The process's standard output.
    static let shared = StandardOutputLines(descriptor: STDOUT_FILENO)

    private let buffer = Mutex(Buffer())
    private let descriptor: CInt
    private let entryLimit: Int
    private let threadPool: NIOThreadPool

    init(descriptor: CInt, entryLimit: Int = 16_384, threadPool: NIOThreadPool = .singleton) {
        self.descriptor = descriptor
        self.entryLimit = entryLimit
        self.threadPool = threadPool
    }

    /// Queues `entry` for its line (moved into the queue, not copied). Never blocks on I/O;
    /// call from any thread.
    func append(_ entry: consuming AccessLogEntry) {
        var queued = Optional(entry)
        let start = buffer.withLock { state -> Bool in
            guard state.entries.count < entryLimit else {
                state.dropped += 1
                return false
            }
            state.entries.append(queued.take()!)
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        guard start else { return }
        // A pool that has stopped calls this at once, on this thread: the process is stopping,
        // and these are its last lines, so they are written all the same.
        let write: @Sendable () -> Void = { self.threadPool.submit { _ in self.drain() } }
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop {
            loop.scheduleTask(in: Self.gatheringDelay, write)
        } else {
            write()
        }
    }

    /// Returns once every line queued before the call is written.
    func flush() async {
        await withCheckedContinuation { continuation in
            let idle = buffer.withLock { state -> Bool in
                guard state.writing || !state.entries.isEmpty else { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Formats and writes what gathered until nothing is left; runs on the thread pool, one at a time.
    private func drain() {
        var spare: [AccessLogEntry] = []
        var lines = AccessLogLine(capacity: 64 * 1024)
        while true {
            let (entries, dropped, waiters) = buffer.withLock { state in
                swap(&state.entries, &spare)
                let taken = (spare, state.dropped, spare.isEmpty ? state.waiters : [])
                if spare.isEmpty {
                    state.writing = false
                    state.waiters = []
                }
                state.dropped = 0
                return taken
            }
            if dropped > 0 {
                FileHandle.standardError.write(Data("lbnet proxy: \(dropped) access log lines dropped: standard output fell behind\n".utf8))
            }
            if entries.isEmpty {
                waiters.forEach { $0.resume() }
                return
            }
            for entry in entries {
                entry.append(to: &lines)
                lines.appendNewline()
            }
            write(lines.bytes)
            lines.removeAll()
            spare.removeAll(keepingCapacity: true)
        }
    }

    private func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { all in
            var rest = all
            while !rest.isEmpty {
                let written = Foundation.write(descriptor, rest.baseAddress, rest.count)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // standard output is gone (a closed pipe): the lines have nowhere to go
                }
                rest = UnsafeRawBufferPointer(rebasing: rest[written...])
            }
        }
    }
}
