import ArgumentParser
import Orchestrator

/// `--metrics-listen`: where the daemon serves its Prometheus endpoint.
struct MetricsOptions: ParsableArguments {
    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp(
        "Where the daemon serves Prometheus metrics: HOST:PORT (port 0 picks a free one) or 'off'. Default 127.0.0.1:9464.",
        discussion: "With 'up', it applies to the daemon 'up' starts; a daemon that already runs keeps its endpoint.",
        valueName: "host:port|off"))
    var metricsListen: String?

    func validate() throws {
        _ = try address
    }

    /// The parsed address; `nil` when the option is not given.
    var address: MetricsListenAddress? {
        get throws {
            guard let metricsListen else { return nil }
            do {
                return try MetricsListenAddress(parsing: metricsListen)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}
