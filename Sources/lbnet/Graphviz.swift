import Foundation

/// Graphviz's `dot` program (Debian's `graphviz` package), which draws the topology picture for
/// `lbnet status --format svg`. Its only input is lbnet's own DOT output.
enum Graphviz {
    enum Failure: Error, CustomStringConvertible {
        case notInstalled
        case failed(status: Int32)

        var description: String {
            switch self {
            case .notInstalled:
                "--format svg draws the picture with Graphviz's 'dot' program, which is not on PATH: "
                    + "install Graphviz (apt-get install graphviz) or use --format dot"
            case .failed(let status): "Graphviz's 'dot' failed (exit status \(status)) drawing the topology picture"
            }
        }
    }

    /// Runs `dot -Tsvg` on `source`, its SVG going straight to standard output.
    static func writeSVG(of source: String) throws {
        guard let dot = executable else { throw Failure.notInstalled }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg"]
        let input = Pipe()
        process.standardInput = input
        // A `dot` that exits early must make the write fail, not kill lbnet with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(source.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure.failed(status: process.terminationStatus) }
    }

    /// The first `dot` on `PATH`.
    static var executable: String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/dot" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
