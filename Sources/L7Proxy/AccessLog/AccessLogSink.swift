import Foundation

/// Where access log lines go.
public struct AccessLogSink: Sendable {
    private let writeEntry: @Sendable (consuming AccessLogEntry) -> Void
    private let flushLines: @Sendable () async -> Void

    /// Calls `write` with each line (without newline), from event loop threads; ``flush()``
    /// calls `flush`.
    public init(_ write: @escaping @Sendable (String) -> Void, flush: @escaping @Sendable () async -> Void = {}) {
        self.init(entries: { write($0.line) }, flush: flush)
    }

    /// Hands `entries` each entry unformatted, for a sink that makes its lines elsewhere.
    private init(entries: @escaping @Sendable (consuming AccessLogEntry) -> Void, flush: @escaping @Sendable () async -> Void) {
        writeEntry = entries
        flushLines = flush
    }

    /// Hands `entry` on (moved, not copied, to a sink that keeps it).
    public func write(_ entry: consuming AccessLogEntry) {
        writeEntry(entry)
    }

    /// Returns once every line written so far is out.
    func flush() async {
        await flushLines()
    }

    /// Drops every line.
    public static let discard = AccessLogSink { _ in }

    /// Appends each line to standard output, made and written off the event loops (``StandardOutputLines``).
    public static let standardOutput = AccessLogSink(
        entries: { StandardOutputLines.shared.append($0) }, flush: { await StandardOutputLines.shared.flush() })
}
