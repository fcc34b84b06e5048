import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
@testable import Orchestrator

/// The daemon's metrics endpoint on loopback: a port the system picks, shown in its state; an
/// address it cannot bind, said in its state while it keeps waiting; `off`.
@Suite struct MetricsServerTests {
    static func server(_ address: MetricsListenAddress) throws -> (MetricsServer, DaemonEndpoints, MetricsCollector) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-metrics-\(UUID().uuidString)").path
        let deployment = Deployment(directory: StateDirectory(path: directory), executable: "/bin/false")
        let logger = Logger(label: "lbnet.test")
        let collector = MetricsCollector(deployment: deployment, monitor: HealthMonitor(loops: NamespaceEventLoops(), logger: logger),
                                         logger: logger)
        let endpoints = DaemonEndpoints()
        return (MetricsServer(address: address, collector: collector, endpoints: endpoints, logger: logger), endpoints, collector)
    }

    /// The `metrics` endpoint's description once `condition` holds for it (or after 2 s).
    static func waitFor(_ endpoints: DaemonEndpoints, _ condition: (String) -> Bool) async throws -> String {
        for _ in 0..<200 where !condition(endpoints.all["metrics"] ?? "") { try await Task.sleep(for: .milliseconds(10)) }
        return endpoints.all["metrics"] ?? ""
    }

    static func curl(_ url: String) throws -> (code: String, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sS", "--max-time", "5", "-w", "\n%{http_code}", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
    }

    @Test func portZeroIsBoundAndShown() async throws {
        let (server, state, collector) = try Self.server(.listen(host: "127.0.0.1", port: 0))
        let task = Task { try await server.run() }
        defer { task.cancel() }
        let url = try await Self.waitFor(state) { $0.hasPrefix("http://") }
        let port = try #require(Int(url.dropFirst("http://127.0.0.1:".count).prefix { $0.isNumber }))
        #expect(port > 0 && url == "http://127.0.0.1:\(port)/metrics")
        let metrics = try Self.curl(url)
        #expect(metrics.code == "200" && metrics.body == "# lbnet: nothing applied yet\n", "\(metrics)")
        #expect(try Self.curl("http://127.0.0.1:\(port)/").code == "404")
        task.cancel()
        _ = try? await task.value
        try await collector.shutdown()
    }

    @Test func anAddressInUseIsReportedAndTheServiceWaits() async throws {
        let taken = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(taken.localAddress?.port)
        let (server, state, collector) = try Self.server(.listen(host: "127.0.0.1", port: port))
        let task = Task { try await server.run() }
        let reported = try await Self.waitFor(state) { $0.hasPrefix("not listening") }
        #expect(reported.hasPrefix("not listening on 127.0.0.1:\(port): "), "\(reported)")
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        _ = try? await task.value
        try await taken.close()
        try await collector.shutdown()
    }

    @Test func offListensNowhere() async throws {
        let (server, state, collector) = try Self.server(.off)
        let task = Task { try await server.run() }
        #expect(try await Self.waitFor(state) { $0 == "off" } == "off")
        task.cancel()
        _ = try? await task.value
        try await collector.shutdown()
    }
}
