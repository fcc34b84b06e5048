import ArgumentParser
import Dispatch
import Foundation
import Logging
import Orchestrator

/// `lbnet proxy --config FILE`: one ALB node, the process `up` runs in each node's namespace.
struct Proxy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an ALB node: the L7 proxy serving a configuration file (see docs/l7-proxy-config.md).",
        discussion: """
            Polls FILE every 500 ms and reloads when it changes (replace it atomically, e.g. with \
            mv), keeping requests in flight and open connections; a file that does not load is \
            refused and the previous one stays in use. Writes the targets' health and the loaded \
            configuration to the health file whenever they change. Access log lines go to \
            standard output. SIGTERM or SIGINT stops it. It runs one event loop per core; \
            NIO_SINGLETON_GROUP_LOOP_COUNT=N in the environment sets another number.
            """)

    @Option(help: ArgumentHelp("The node's configuration (JSON).", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("Where to write the health report (default: FILE without .json, plus .health.json).", valueName: "path"))
    var healthFile: String?

    func run() async throws {
        let runner = ProxyNodeRunner(configurationPath: config, healthPath: healthFile, logger: Logger(label: "lbnet.proxy"))
        let task = Task { try await runner.run() }
        let signals = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        do {
            try await task.value
        } catch {
            FileHandle.standardError.write(Data("lbnet: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
