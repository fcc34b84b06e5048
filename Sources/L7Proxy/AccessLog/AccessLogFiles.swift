import CompressNIO
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Writes an ALB node's access log lines to files in AWS's layout (``AccessLogFileName``) under
/// the configured directory, off the event loops.
///
/// Event loops only append a line to a bounded buffer; one task on NIO's blocking thread pool
/// writes whatever has gathered (at once, so a line is in its file within moments) and loops
/// until the buffer is empty. Each write is one complete gzip member appended to the file of the
/// line's 5-minute interval: a gzip file may hold several members, so the file is a valid
/// `.log.gz` at every moment while it grows, and a line of the next interval opens the next
/// file. Beyond `bufferLimit` bytes waiting, lines are dropped and counted in a warning (AWS
/// delivers access logs on a best-effort basis too). Directories are made mode 0750 and files
/// 0640.
final class AccessLogFiles: Sendable {
    /// Where lines go: the directory standing in for the bucket and prefix, and the names in files.
    struct Destination: Sendable, Equatable {
        let directory: String
        let loadBalancer: LoadBalancerARN
        let nodeAddress: String

        init?(_ configuration: ProxyConfiguration) {
            guard let accessLog = configuration.accessLog,
                  let arn = configuration.loadBalancerArn.flatMap(LoadBalancerARN.init) else { return nil }
            directory = accessLog.directory
            loadBalancer = arn
            nodeAddress = accessLog.nodeAddress
        }
    }

    /// Lines of one destination and interval, in arrival order.
    private struct Batch {
        let destination: Destination
        let intervalEnd: Int
        var bytes: [UInt8]
    }

    private struct Buffer {
        var destination: Destination?
        var batches: [Batch] = []
        var bytes = 0
        var dropped = 0
        var writing = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The file being appended to; only the writing task touches it.
    private struct OpenFile {
        let destination: Destination
        let intervalEnd: Int
        let path: String
        let descriptor: CInt
    }

    static let defaultBufferLimit = 4 << 20

    private let buffer = Mutex(Buffer())
    private let openFile = Mutex<OpenFile?>(nil)
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let bufferLimit: Int

    init(logger: Logger, bufferLimit: Int = AccessLogFiles.defaultBufferLimit, threadPool: NIOThreadPool = .singleton) {
        self.logger = logger
        self.bufferLimit = bufferLimit
        self.threadPool = threadPool
    }

    deinit {
        if let file = openFile.withLock({ $0 }) { close(file.descriptor) }
    }

    /// Writes to the destination of `configuration` from now on (nowhere when it has no access log).
    func configure(_ configuration: ProxyConfiguration) {
        let destination = Destination(configuration)
        buffer.withLock { $0.destination = destination }
    }

    /// Queues `entry`'s line when access logs are configured. Never blocks on I/O; call from any thread.
    func write(_ entry: AccessLogEntry) {
        guard buffer.withLock({ $0.destination != nil }) else { return }
        write(entry.line, at: entry.time)
    }

    /// Queues `line` (without newline) for the file of the interval holding `time`. Never blocks
    /// on I/O; call from any thread.
    func write(_ line: String, at time: Date) {
        let start = buffer.withLock { state -> Bool in
            guard let destination = state.destination else { return false }
            let size = line.utf8.count + 1
            guard state.bytes + size <= bufferLimit else {
                state.dropped += 1
                return false
            }
            let intervalEnd = AccessLogFileName.intervalEnd(containing: time)
            if let last = state.batches.last, last.intervalEnd == intervalEnd, last.destination == destination {
                state.batches[state.batches.count - 1].bytes.append(contentsOf: line.utf8)
                state.batches[state.batches.count - 1].bytes.append(UInt8(ascii: "\n"))
            } else {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(512)
                bytes.append(contentsOf: line.utf8)
                bytes.append(UInt8(ascii: "\n"))
                state.batches.append(Batch(destination: destination, intervalEnd: intervalEnd, bytes: bytes))
            }
            state.bytes += size
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        if start {
            threadPool.submit { state in
                // A pool that no longer runs calls at once, on this thread: write nothing here.
                guard case .active = state else { return self.discardPending() }
                self.drain()
            }
        }
    }

    /// Returns once every line queued before the call is in its file.
    func flush() async {
        await withCheckedContinuation { continuation in
            let idle = buffer.withLock { state -> Bool in
                guard state.writing || !state.batches.isEmpty else { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Drops what waits (the thread pool is gone: the process is stopping).
    private func discardPending() {
        let waiters = buffer.withLock { state in
            let waiters = state.waiters
            state = Buffer(destination: state.destination)
            return waiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Writes batches until none is left; runs on the thread pool, one at a time.
    private func drain() {
        while true {
            let (batches, dropped, waiters) = buffer.withLock { state in
                let taken = (state.batches, state.dropped, state.batches.isEmpty ? state.waiters : [])
                if state.batches.isEmpty {
                    state.writing = false
                    state.waiters = []
                }
                state.batches = []
                state.bytes = 0
                state.dropped = 0
                return taken
            }
            if dropped > 0 {
                logger.warning("access log lines dropped: the writer fell behind", metadata: ["lbnet.dropped": "\(dropped)"])
            }
            if batches.isEmpty {
                waiters.forEach { $0.resume() }
                return
            }
            for batch in batches {
                do {
                    try append(batch)
                } catch {
                    logger.error("access log lines lost", metadata: ["lbnet.error": "\(error)", "lbnet.lines": "\(batch.bytes.count(where: { $0 == UInt8(ascii: "\n") }))"])
                }
            }
        }
    }

    private func append(_ batch: Batch) throws {
        var plain = ByteBuffer(bytes: batch.bytes)
        let member = try plain.compress(with: .gzip())
        let descriptor = try descriptor(for: batch)
        try member.withUnsafeReadableBytes { bytes in
            var rest = bytes
            while !rest.isEmpty {
                let written = Foundation.write(descriptor, rest.baseAddress, rest.count)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw AccessLogFileError(operation: "writing", path: openFile.withLock { $0?.path ?? "" }, code: errno)
                }
                rest = UnsafeRawBufferPointer(rebasing: rest[written...])
            }
        }
    }

    /// The open file of the batch's destination and interval, opening it (and closing the
    /// previous one) when the batch starts another.
    private func descriptor(for batch: Batch) throws -> CInt {
        try openFile.withLock { current in
            if let file = current, file.destination == batch.destination, file.intervalEnd == batch.intervalEnd {
                return file.descriptor
            }
            if let file = current {
                close(file.descriptor)
                current = nil
            }
            var random = SystemRandomNumberGenerator()
            let name = AccessLogFileName(loadBalancer: batch.destination.loadBalancer, nodeAddress: batch.destination.nodeAddress,
                                         intervalEnd: batch.intervalEnd, random: AccessLogFileName.randomString(using: &random))
            let directory = "\(batch.destination.directory)/\(name.directory)"
            try Self.makeDirectories(directory)
            let path = "\(directory)/\(name.fileName)"
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else { throw AccessLogFileError(operation: "creating", path: path, code: errno) }
            current = OpenFile(destination: batch.destination, intervalEnd: batch.intervalEnd, path: path, descriptor: descriptor)
            return descriptor
        }
    }

    /// Makes each missing directory of the absolute `path` with mode 0750.
    private static func makeDirectories(_ path: String) throws {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/\(component)"
            if mkdir(current, 0o750) == 0 {
                chmod(current, 0o750)
            } else if errno != EEXIST {
                throw AccessLogFileError(operation: "creating directory", path: current, code: errno)
            }
        }
    }
}

/// A file operation of the access log writer failed.
struct AccessLogFileError: Error, CustomStringConvertible {
    let operation: String
    let path: String
    let code: CInt

    var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}
