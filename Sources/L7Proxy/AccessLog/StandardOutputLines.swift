import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Writes access log lines to standard output off the event loops: an event loop only appends
/// the line to a bounded buffer; one task on NIO's blocking thread pool writes whatever has
/// gathered, in as few `write(2)`s as it takes, and loops until the buffer is empty. The task
/// starts ``gatheringDelay`` after the first line that finds the writer idle (at once when the
/// line comes from outside an event loop), so a busy node wakes the writer a few hundred times a
/// second, not once per request, and a line is out within milliseconds. Beyond `bufferLimit`
/// bytes waiting (a reader that stopped reading), lines are dropped and counted on standard
/// error.
final class StandardOutputLines: Sendable {
    private struct Buffer {
        var bytes: [UInt8] = []
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
    private let bufferLimit: Int
    private let threadPool: NIOThreadPool

    init(descriptor: CInt, bufferLimit: Int = 4 << 20, threadPool: NIOThreadPool = .singleton) {
        self.descriptor = descriptor
        self.bufferLimit = bufferLimit
        self.threadPool = threadPool
    }

    /// Queues `line` and a newline. Never blocks on I/O; call from any thread.
    func append(_ line: String) {
        let start = buffer.withLock { state -> Bool in
            guard state.bytes.count + line.utf8.count + 1 <= bufferLimit else {
                state.dropped += 1
                return false
            }
            state.bytes.append(contentsOf: line.utf8)
            state.bytes.append(UInt8(ascii: "\n"))
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
                guard state.writing || !state.bytes.isEmpty else { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Writes what gathered until nothing is left; runs on the thread pool, one at a time.
    private func drain() {
        var spare: [UInt8] = []
        while true {
            let (bytes, dropped, waiters) = buffer.withLock { state in
                swap(&state.bytes, &spare)
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
            if bytes.isEmpty {
                waiters.forEach { $0.resume() }
                return
            }
            write(bytes)
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
