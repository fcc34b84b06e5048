import Foundation
import Kernel

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

    /// Runs `dot -Tsvg` on `source`, its SVG going straight to standard output. Spawned and
    /// reaped directly (no Foundation `Process`, whose run loop needs a loopback socket).
    static func writeSVG(of source: String) throws {
        guard let dot = executable else { throw Failure.notInstalled }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SystemError("creating a pipe to dot", errno: errno) }
        let (reading, writing) = (ends[0], ends[1])
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, reading, 0)  // dup2 leaves standard input open across exec
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(dot), strdup("-Tsvg"), nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, dot, &actions, nil, argv, environ)
        close(reading)
        guard spawned == 0 else {
            close(writing)
            throw SystemError("starting \(dot)", errno: spawned)
        }
        // A `dot` that exits early must make the write fail, not kill lbnet with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let handle = FileHandle(fileDescriptor: writing, closeOnDealloc: true)
        let written = Result { try handle.write(contentsOf: Data(source.utf8)) }
        try? handle.close()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitStatus == 0 else { throw Failure.failed(status: exitStatus) }
        try written.get()
    }

    /// The first `dot` on `PATH`.
    static var executable: String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/dot" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
