import Foundation
import Logging

/// A serving ALB node and what it knows about its configuration file: the digest it serves and
/// the last contents it refused. Reloads run one at a time, in the order they were asked for.
actor ProxyNode {
    let configurationPath: String
    private let server: ProxyServer
    private let logger: Logger
    private var report: ProxyNodeReport
    private var lastReload: Task<ProxyReloadAnswer, Never>?

    private init(configurationPath: String, server: ProxyServer, logger: Logger, report: ProxyNodeReport) {
        self.configurationPath = configurationPath
        self.server = server
        self.logger = logger
        self.report = report
    }

    /// Reads the file and starts serving it; throws when it cannot be read, decoded or served.
    static func start(configurationPath: String, logger: Logger, accessLog: AccessLogSink) async throws -> ProxyNode {
        let data = try read(configurationPath)
        let configuration = try ProxyConfiguration.decode(data, source: configurationPath)
        let server = try ProxyServer(configuration: configuration, logger: logger, accessLog: accessLog)
        try await server.start()
        return ProxyNode(configurationPath: configurationPath, server: server, logger: logger,
                         report: ProxyNodeReport(nodeName: configuration.nodeName, configurationDigest: ConfigurationDigest.of(data), targets: []))
    }

    /// Re-reads the file and serves it if it changed; answers once it serves or was refused.
    func reload() async -> ProxyReloadAnswer {
        let previous = lastReload
        let next = Task {
            _ = await previous?.value
            return await self.reloadNow()
        }
        lastReload = next
        return await next.value
    }

    /// The served and refused digests, and every target's health.
    func currentReport() -> ProxyNodeReport {
        var current = report
        current.targets = server.targetHealth()
        return current
    }

    /// The node's counters and its targets' health.
    func currentMetrics() async throws -> ProxyMetricsReport {
        try await server.metricsReport()
    }

    /// Stops accepting connections and checking targets.
    func stop() async {
        await server.stop()
    }

    private func reloadNow() async -> ProxyReloadAnswer {
        let data: Data
        do {
            data = try Self.read(configurationPath)
        } catch {
            return ProxyReloadAnswer(digest: "", error: String(describing: error))
        }
        let digest = ConfigurationDigest.of(data)
        guard digest != report.configurationDigest else { return ProxyReloadAnswer(digest: digest, error: nil) }
        do {
            let configuration = try ProxyConfiguration.decode(data, source: configurationPath)
            try await server.reload(configuration: configuration)
            report.nodeName = configuration.nodeName
            report.configurationDigest = digest
            report.rejectedDigest = nil
            report.reloadError = nil
            return ProxyReloadAnswer(digest: digest, error: nil)
        } catch {
            report.rejectedDigest = digest
            report.reloadError = String(describing: error)
            logger.error("configuration refused, still serving the previous one",
                         metadata: ["lbnet.path": "\(configurationPath)", "lbnet.error": "\(error)"])
            return ProxyReloadAnswer(digest: digest, error: String(describing: error))
        }
    }

    private static func read(_ path: String) throws(ProxyConfigurationError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}
