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

    func write(line: String) {
        writeLine(line)
    }

    /// Drops every line.
    public static let discard = AccessLogSink { _ in }

    /// Appends each line to standard output, one `write(2)` per line.
    public static let standardOutput = AccessLogSink { line in
        var text = line
        text.append("\n")
        text.withUTF8 { bytes in
            var rest = UnsafeRawBufferPointer(bytes)
            while !rest.isEmpty {
                let written = Foundation.write(STDOUT_FILENO, rest.baseAddress, rest.count)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                rest = UnsafeRawBufferPointer(rebasing: rest[written...])
            }
        }
    }
}
