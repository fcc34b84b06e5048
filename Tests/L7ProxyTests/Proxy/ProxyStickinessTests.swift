import Foundation
import NIOCore
import Testing

@testable import L7Proxy

/// Cookie stickiness through a running proxy, with curl and its cookie jar as the client.
@Suite(.serialized) struct ProxyStickinessTests {
    /// Runs curl against the proxy with a cookie jar, answering the instance that served it.
    static func curlInstance(port: Int, jar: String?) async throws -> String {
        let arguments = ["-s", "--max-time", "5"] + (jar.map { ["-c", $0, "-b", $0] } ?? []) + ["http://127.0.0.1:\(port)/"]
        let output = try await WitnessCommand.curl(arguments)
        return try JSONDecoder().decode(TargetEcho.self, from: Data(output.utf8)).instance
    }

    @Test func aCookieJarKeepsTheClientOnOneTargetUntilItTurnsUnhealthy() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1", "web-2", "web-3"])
        var configuration = ProxyHarness.configuration(
            targetPorts: ports,
            healthCheck: HealthCheckConfiguration(path: "/health", intervalSeconds: 5, timeoutSeconds: 4, healthyThreshold: 2,
                                                  unhealthyThreshold: 2))
        configuration.targetGroups[0].stickiness = TargetStickiness(type: .lbCookie, durationSeconds: 3600)
        // One configured second lasts 20 ms: checks every 100 ms.
        try await harness.startProxy(configuration, healthCheckSecond: .milliseconds(20))
        defer { Task { [harness] in await harness.shutdown() } }
        let proxy = try #require(harness.proxy)
        for _ in 0..<500 where !proxy.targetHealth().allSatisfy({ $0.state == .healthy }) {
            try await Task.sleep(for: .milliseconds(10))
        }

        let jar = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-jar-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: jar) }
        let first = try await Self.curlInstance(port: harness.proxyPort, jar: jar)
        for _ in 0..<6 { #expect(try await Self.curlInstance(port: harness.proxyPort, jar: jar) == first) }
        let saved = try String(contentsOfFile: jar, encoding: .utf8)
        #expect(saved.contains("\tAWSALB\t"))
        // Without the jar, round robin spreads the requests.
        var seen: Set<String> = []
        for _ in 0..<6 { seen.insert(try await Self.curlInstance(port: harness.proxyPort, jar: nil)) }
        #expect(seen.count == 3)

        // The sticky target stops: once unhealthy, the client is moved, and stays where it lands.
        let index = try #require(["web-1", "web-2", "web-3"].firstIndex(of: first))
        await harness.targets[index].close()
        for _ in 0..<500 where proxy.targetHealth().first(where: { $0.port == ports[index] })?.state != .unhealthy {
            try await Task.sleep(for: .milliseconds(10))
        }
        let moved = try await Self.curlInstance(port: harness.proxyPort, jar: jar)
        #expect(moved != first)
        for _ in 0..<4 { #expect(try await Self.curlInstance(port: harness.proxyPort, jar: jar) == moved) }
    }
}
