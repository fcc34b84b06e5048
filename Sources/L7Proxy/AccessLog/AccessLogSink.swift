import Foundation

/// Where access log lines go.
public struct AccessLogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void
    private let flushLines: @Sendable () async -> Void

    /// Calls `write` with each line (without newline), from event loop threads; ``flush()``
    /// calls `flush`.
    public init(_ write: @escaping @Sendable (String) -> Void, flush: @escaping @Sendable () async -> Void = {}) {
        writeLine = write
        flushLines = flush
    }

    public func write(_ entry: AccessLogEntry) {
        writeLine(entry.line)
    }

    func write(line: String) {
        writeLine(line)
    }

    /// Returns once every line written so far is out.
    func flush() async {
        await flushLines()
    }

    /// Drops every line.
    public static let discard = AccessLogSink { _ in }

    /// Appends each line to standard output, written off the event loops (``StandardOutputLines``).
    public static let standardOutput = AccessLogSink(
        { line in StandardOutputLines.shared.append(line) }, flush: { await StandardOutputLines.shared.flush() })
}
