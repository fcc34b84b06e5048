import Foundation

/// Where access log lines go.
public struct AccessLogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// Calls `write` with each line (without newline), from event loop threads.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        writeLine = write
    }

    public func write(_ entry: AccessLogEntry) {
        writeLine(entry.line)
    }

    /// Drops every line.
    public static let discard = AccessLogSink { _ in }

    /// Appends each line to standard output.
    public static let standardOutput = AccessLogSink { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
