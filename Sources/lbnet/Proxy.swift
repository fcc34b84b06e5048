import ArgumentParser
import Foundation
import L7Proxy
import Logging
import UnixSignals

/// `lbnet proxy --config FILE [--control PATH]`: one ALB node, the process `up` runs in each
/// node's namespace.
struct Proxy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an ALB node: the L7 proxy serving a configuration file (see docs/l7-proxy-config.md).",
        discussion: """
            Reads FILE at start. With --control, listens on a Unix socket (mode 0600, removed on \
            exit) for one JSON request per line: {"op":"reload"} re-reads FILE and answers \
            {"digest":...,"error":null} once it serves (a file that does not load is refused with \
            its reason and the previous one stays in use; requests in flight and open connections \
            carry on); {"op":"report"} answers the served configuration and the targets' health. \
            Access log lines go to standard output and, when FILE has "accessLog", to files in \
            AWS's layout under its directory (docs/access-logs.md). SIGTERM or SIGINT stops it. It runs one event \
            loop per core; NIO_SINGLETON_GROUP_LOOP_COUNT=N in the environment sets another number.
            """)

    @Option(help: ArgumentHelp("The node's configuration (JSON).", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("The control socket to listen on.", valueName: "path"))
    var control: String?

    func run() async throws {
        let runner = ProxyNodeRunner(configurationPath: config, controlSocketPath: control, logger: Logger(label: "lbnet.proxy"))
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await runner.run() }
                group.addTask { for await _ in signals { return } }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            FileHandle.standardError.write(Data("lbnet: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
