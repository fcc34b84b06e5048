import Foundation
import L7Proxy
import Logging
import Testing
@testable import Orchestrator

/// `lbnet proxy`'s loop on loopback: it serves the file, notices a new one (atomic replace or
/// edit in place), refuses a broken one while keeping the old, and publishes it all in the
/// health file, which it removes when stopped.
@Suite(.serialized) struct ALBProxyNodeRunnerTests {
    private func configuration(targets: [String]) -> ProxyConfiguration {
        ProxyConfiguration(
            nodeName: "alb-test-1a", availabilityZone: "local-1a",
            listeners: [ListenerConfiguration(address: "127.0.0.1", port: 0, defaultActions: [.forward([WeightedTargetGroup(name: "web")])])],
            targetGroups: [TargetGroupConfiguration(
                name: "web", port: 1, healthCheck: HealthCheckConfiguration(intervalSeconds: 300, timeoutSeconds: 2),
                targets: targets.map { TargetConfiguration(address: $0, availabilityZone: "local-1a") })])
    }

    private func replace(_ path: String, with data: Data) throws {
        try data.write(to: URL(fileURLWithPath: path + ".new"))
        guard rename(path + ".new", path) == 0 else { throw POSIXError(.EIO) }
    }

    private func waitForReport(_ path: String, _ condition: (ProxyNodeReport) -> Bool) async throws -> ProxyNodeReport {
        for _ in 0..<100 {
            if let report = ProxyNodeReport.load(from: path), condition(report) { return report }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("health file \(path) never matched; last: \(String(describing: ProxyNodeReport.load(from: path)))")
        throw CancellationError()
    }

    @Test func reloadsChangedFilesRefusesBrokenOnesAndCleansUp() async throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/node.json"
        let first = try configuration(targets: ["127.0.0.2"]).encodedJSON()
        try first.write(to: URL(fileURLWithPath: path))
        let runner = ProxyNodeRunner(configurationPath: path, logger: Logger(label: "test"), accessLog: .discard,
                                     pollInterval: .milliseconds(50))
        let task = Task { try await runner.run() }

        let started = try await waitForReport(runner.healthPath) { $0.configurationDigest == ConfigurationDigest.of(first) }
        #expect(started.nodeName == "alb-test-1a")
        #expect(started.targets.map(\.address) == ["127.0.0.2"])
        #expect(started.targets.map(\.state) == [.initial])

        let second = try configuration(targets: ["127.0.0.2", "127.0.0.3"]).encodedJSON()
        try replace(path, with: second)
        let reloaded = try await waitForReport(runner.healthPath) { $0.configurationDigest == ConfigurationDigest.of(second) }
        #expect(reloaded.targets.map(\.address) == ["127.0.0.2", "127.0.0.3"])

        let broken = Data(#"{"nodeName": "alb-test-1a"}"#.utf8)
        try broken.write(to: URL(fileURLWithPath: path))  // in place, not atomic
        let refused = try await waitForReport(runner.healthPath) { $0.rejectedDigest == ConfigurationDigest.of(broken) }
        #expect(refused.configurationDigest == ConfigurationDigest.of(second))
        #expect(refused.reloadError?.contains("availabilityZone") == true, "\(refused.reloadError ?? "")")

        try replace(path, with: first)
        let recovered = try await waitForReport(runner.healthPath) { $0.configurationDigest == ConfigurationDigest.of(first) }
        #expect(recovered.rejectedDigest == nil)
        #expect(recovered.reloadError == nil)

        task.cancel()
        try await task.value
        #expect(!FileManager.default.fileExists(atPath: runner.healthPath))
    }

    @Test func aFileThatDoesNotLoadStopsTheStartWithItsReason() async throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/node.json"
        var invalid = configuration(targets: [])
        invalid.idleTimeoutSeconds = 0
        let data = try JSONEncoder().encode(invalid)
        try data.write(to: URL(fileURLWithPath: path))
        let runner = ProxyNodeRunner(configurationPath: path, logger: Logger(label: "test"), accessLog: .discard)
        await #expect(throws: ProxyConfigurationError.self) { try await runner.run() }
        let report = try #require(ProxyNodeReport.load(from: runner.healthPath))
        #expect(report.rejectedDigest == ConfigurationDigest.of(data))
        #expect(report.reloadError?.contains("idleTimeoutSeconds") == true)

        await #expect(throws: ProxyConfigurationError.self) {
            try await ProxyNodeRunner(configurationPath: directory + "/missing.json", logger: Logger(label: "test")).run()
        }
    }
}
