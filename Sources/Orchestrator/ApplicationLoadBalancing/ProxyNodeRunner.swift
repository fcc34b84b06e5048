import Foundation
import L7Proxy
import Logging

/// Runs one ALB node (`lbnet proxy --config FILE`): serves the configuration file with a
/// `ProxyServer`, polls the file (device, inode, size, mtime) every `pollInterval` and reloads
/// when its contents change — in-flight requests and keep-alive connections carry on — and keeps
/// the health file beside it (`ProxyNodeReport`) up to date, rewriting it only when it changes.
/// A file that does not load is refused: the node keeps serving the previous one and reports why.
public struct ProxyNodeRunner: Sendable {
    public let configurationPath: String
    public let healthPath: String
    public let pollInterval: Duration
    private let logger: Logger
    private let accessLog: AccessLogSink

    public init(configurationPath: String, healthPath: String? = nil, logger: Logger,
                accessLog: AccessLogSink = .standardOutput, pollInterval: Duration = .milliseconds(500)) {
        self.configurationPath = configurationPath
        self.healthPath = healthPath ?? ProxyNodeReport.path(forConfiguration: configurationPath)
        self.pollInterval = pollInterval
        self.logger = logger
        self.accessLog = accessLog
    }

    /// Serves until the task is cancelled, then stops accepting connections, removes the health
    /// file and returns. Throws when the first configuration cannot be loaded or served (after
    /// publishing why in the health file).
    public func run() async throws {
        var identity = ConfigurationFileIdentity(path: configurationPath)
        let data = try readConfiguration()
        let server: ProxyServer
        var report = ProxyNodeReport(nodeName: "", configurationDigest: "", targets: [])
        do {
            let configuration = try ProxyConfiguration.decode(data, source: configurationPath)
            report.nodeName = configuration.nodeName
            server = try ProxyServer(configuration: configuration, logger: logger, accessLog: accessLog)
            try await server.start()
        } catch {
            report.rejectedDigest = ConfigurationDigest.of(data)
            report.reloadError = String(describing: error)
            try? report.write(to: healthPath)
            throw error
        }
        report.configurationDigest = ConfigurationDigest.of(data)
        var published: ProxyNodeReport?
        while !Task.isCancelled {
            report.targets = server.targetHealth()
            if report != published {
                do {
                    try report.write(to: healthPath)
                    published = report
                } catch {
                    logger.warning("cannot write health file", metadata: ["path": "\(healthPath)", "error": "\(error)"])
                }
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                break
            }
            let current = ConfigurationFileIdentity(path: configurationPath)
            guard let current, current != identity else { continue }
            identity = current
            await reloadIfChanged(server, report: &report)
        }
        await server.stop()
        unlink(healthPath)
    }

    private func reloadIfChanged(_ server: ProxyServer, report: inout ProxyNodeReport) async {
        guard let data = FileManager.default.contents(atPath: configurationPath) else { return }
        let digest = ConfigurationDigest.of(data)
        guard digest != report.configurationDigest, digest != report.rejectedDigest else { return }
        do {
            let configuration = try ProxyConfiguration.decode(data, source: configurationPath)
            try await server.reload(configuration: configuration)
            report.nodeName = configuration.nodeName
            report.configurationDigest = digest
            report.rejectedDigest = nil
            report.reloadError = nil
        } catch {
            report.rejectedDigest = digest
            report.reloadError = String(describing: error)
            logger.error("configuration refused, still serving the previous one",
                         metadata: ["path": "\(configurationPath)", "error": "\(error)"])
        }
    }

    private func readConfiguration() throws(ProxyConfigurationError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: configurationPath))
        } catch {
            throw .unreadable(path: configurationPath, reason: (error as NSError).localizedDescription)
        }
    }
}
