import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

@testable import L7Proxy

/// Collects access log lines written by a proxy under test.
final class CollectedAccessLog: Sendable {
    private let lines = Mutex<[String]>([])

    var sink: AccessLogSink {
        AccessLogSink { line in self.lines.withLock { $0.append(line) } }
    }

    var all: [String] { lines.withLock { $0 } }

    /// Waits briefly for `count` lines, since a line is written as the response completes.
    func waitForLines(_ count: Int) async -> [String] {
        for _ in 0..<100 where all.count < count {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return all
    }
}

/// Target servers and one proxy node on 127.0.0.1, torn down by ``shutdown()``.
struct ProxyHarness {
    var targets: [ListeningServer] = []
    var proxy: ProxyServer?
    var proxyPort = 0
    let accessLog = CollectedAccessLog()

    /// Starts a built-in target server per name (all in zone `az-a` unless `zones` says otherwise).
    mutating func startTargets(_ names: [String], zones: [String]? = nil) async throws -> [Int] {
        var ports: [Int] = []
        for (index, name) in names.enumerated() {
            let server = try await TargetServer(
                configuration: .init(instanceName: name, availabilityZone: zones?[index] ?? "az-a", host: "127.0.0.1", port: 0)
            ).bind()
            targets.append(server)
            ports.append(server.localAddress.port!)
        }
        return ports
    }

    /// A configuration with one listener on 127.0.0.1 (free port) forwarding to group `web`, with
    /// AWS's timeouts (idle 60 s, connect 10 s), so that a loaded machine does not close a
    /// test's connections under it (a 5 s idle timeout did, under `scripts/test --stress`); tests
    /// of the timeouts set their own.
    static func configuration(
        targetPorts: [Int], zones: [String]? = nil, rules: [ListenerRule] = [],
        defaultActions: [RuleAction] = [.forward([WeightedTargetGroup(name: "web")])],
        healthCheck: HealthCheckConfiguration = HealthCheckConfiguration(enabled: false),
        idleTimeoutSeconds: Int = 60, algorithm: TargetGroupConfiguration.Algorithm = .roundRobin,
        extraGroups: [TargetGroupConfiguration] = []
    ) -> ProxyConfiguration {
        ProxyConfiguration(
            nodeName: "alb-test-a", availabilityZone: "az-a", idleTimeoutSeconds: idleTimeoutSeconds, connectTimeoutSeconds: 10,
            listeners: [ListenerConfiguration(address: "127.0.0.1", port: 0, rules: rules, defaultActions: defaultActions)],
            targetGroups: [
                TargetGroupConfiguration(
                    name: "web", port: 8080, algorithm: algorithm, healthCheck: healthCheck, deregistrationDelaySeconds: 0,
                    targets: targetPorts.enumerated().map { index, port in
                        TargetConfiguration(address: "127.0.0.1", port: port, availabilityZone: zones?[index] ?? "az-a")
                    }
                )
            ] + extraGroups
        )
    }

    mutating func startProxy(_ configuration: ProxyConfiguration, healthCheckSecond: TimeAmount = .seconds(1)) async throws {
        var logger = Logger(label: "lbnet.l7proxy.test")
        logger.logLevel = .warning
        let proxy = try ProxyServer(
            configuration: configuration, logger: logger, accessLog: accessLog.sink,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, healthCheckSecond: healthCheckSecond
        )
        let addresses = try await proxy.start()
        self.proxy = proxy
        proxyPort = addresses.values.first?.port ?? 0
    }

    func connect() async throws -> TestHTTPConnection {
        try await TestHTTPConnection.connect(port: proxyPort)
    }

    func shutdown() async {
        await proxy?.stop()
        for target in targets { await target.close() }
    }
}

extension ReceivedResponse {
    /// The body decoded as the built-in target server's echo.
    func echo() throws -> TargetEcho {
        try JSONDecoder().decode(TargetEcho.self, from: Data(body.utf8))
    }
}
