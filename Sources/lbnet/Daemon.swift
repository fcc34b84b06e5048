import ArgumentParser
import Logging
import Orchestrator

/// `lbnet daemon`: the long-running part of a state directory (started by `up` when none runs).
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run the daemon of a state directory: processes, NLB health checks, draining, the control socket 'up' uses, and the AWS API.",
        discussion: "'lbnet up' starts it when none runs; 'lbnet down' stops it. It logs to standard error.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var api: APIOptionGroup
    @OptionGroup var metrics: MetricsOptions

    func run() async throws {
        try requireRoot()
        try await Daemon(deployment: global.deployment, api: api.options(), logger: Logger(label: "lbnet.daemon"),
                         metricsListen: try metrics.address ?? .default).run()
    }
}
