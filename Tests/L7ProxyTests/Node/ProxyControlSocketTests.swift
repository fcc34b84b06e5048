import Foundation
import L7Proxy
import Logging
import NIOCore
import Testing

/// `lbnet proxy --control PATH` on loopback: it serves the file read at start, reloads only when
/// told, refuses a broken file while the old one keeps serving, reports target health, and
/// removes its socket when stopped.
@Suite(.serialized) struct ProxyControlSocketTests {
    private func configuration(targets: [String], idleTimeout: Int = 60) -> ProxyConfiguration {
        var configuration = ProxyConfiguration(
            nodeName: "alb-test-1a", availabilityZone: "local-1a",
            listeners: [ListenerConfiguration(address: "127.0.0.1", port: 0, defaultActions: [.forward([WeightedTargetGroup(name: "web")])])],
            targetGroups: [TargetGroupConfiguration(
                name: "web", port: 1, healthCheck: HealthCheckConfiguration(intervalSeconds: 300, timeoutSeconds: 2),
                targets: targets.map { TargetConfiguration(address: $0, availabilityZone: "local-1a") })])
        configuration.idleTimeoutSeconds = idleTimeout
        return configuration
    }

    private func withDirectory(_ body: (String) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "lbnet-ctl-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await body(directory)
    }

    private func replace(_ path: String, with data: Data) throws {
        try data.write(to: URL(fileURLWithPath: path + ".new"))
        guard rename(path + ".new", path) == 0 else { throw POSIXError(.EIO) }
    }

    @Test func reloadServesTheNewFileAndRefusesABrokenOne() async throws {
        try await withDirectory { directory in
            let path = directory + "/node.json", socket = directory + "/node.sock"
            let first = try configuration(targets: ["127.0.0.2"]).encodedJSON()
            try first.write(to: URL(fileURLWithPath: path))
            let runner = ProxyNodeRunner(configurationPath: path, controlSocketPath: socket, logger: Logger(label: "test"), accessLog: .discard)
            let proxy = Task { try await runner.run() }
            let client = ProxyControlClient(socketPath: socket, timeout: .seconds(5), socketWait: .seconds(10))

            let started = try await client.report()
            #expect(started.nodeName == "alb-test-1a")
            #expect(started.configurationDigest == ConfigurationDigest.of(first))
            #expect(started.targets.map(\.address) == ["127.0.0.2"])
            #expect(started.targets.map(\.state) == [.initial])
            var info = stat()
            #expect(stat(socket, &info) == 0 && info.st_mode & 0o777 == 0o600)

            // A new file is not picked up until the proxy is told.
            let second = try configuration(targets: ["127.0.0.2", "127.0.0.3"]).encodedJSON()
            try replace(path, with: second)
            #expect(try await client.report().configurationDigest == ConfigurationDigest.of(first))
            #expect(try await client.reload() == ProxyReloadAnswer(digest: ConfigurationDigest.of(second), error: nil))
            #expect(try await client.report().targets.map(\.address) == ["127.0.0.2", "127.0.0.3"])

            let broken = try configuration(targets: ["127.0.0.4"], idleTimeout: 0).encodedJSON()
            try broken.write(to: URL(fileURLWithPath: path))  // in place, not atomic
            let refused = try await client.reload()
            #expect(refused.digest == ConfigurationDigest.of(broken))
            #expect(refused.error?.contains("idleTimeoutSeconds") == true, "\(refused.error ?? "")")
            let afterRefusal = try await client.report()
            #expect(afterRefusal.configurationDigest == ConfigurationDigest.of(second))
            #expect(afterRefusal.rejectedDigest == ConfigurationDigest.of(broken))
            #expect(afterRefusal.targets.map(\.address) == ["127.0.0.2", "127.0.0.3"])

            try replace(path, with: first)
            #expect(try await client.reload() == ProxyReloadAnswer(digest: ConfigurationDigest.of(first), error: nil))
            #expect(try await client.report().rejectedDigest == nil)

            proxy.cancel()
            try await proxy.value
            #expect(!FileManager.default.fileExists(atPath: socket))
        }
    }

    @Test func answersCarryAnExplicitNullAndUnknownOpsAreNamed() throws {
        let encoded = try JSONEncoder().encode(ProxyReloadAnswer(digest: "00ff", error: nil))
        #expect(String(decoding: encoded, as: UTF8.self).contains(#""error":null"#))
        #expect(try JSONDecoder().decode(ProxyReloadAnswer.self, from: encoded) == ProxyReloadAnswer(digest: "00ff", error: nil))
    }

    @Test func aClientNamesTheSocketItWaitedFor() async throws {
        try await withDirectory { directory in
            let socket = directory + "/missing.sock"
            let client = ProxyControlClient(socketPath: socket, timeout: .seconds(1), socketWait: .milliseconds(200))
            do {
                _ = try await client.report()
                Issue.record("a report from nobody")
            } catch let error as ProxyControlError {
                guard case .notListening(let path, let reason) = error else { throw error }
                #expect(path == socket)
                #expect(reason.contains("waited"), "\(reason)")
            }
            let long = directory + "/" + String(repeating: "n", count: 120) + ".sock"
            await #expect(throws: ProxyControlError.socketPathTooLong(path: long, bytes: long.utf8.count)) {
                _ = try await ProxyControlClient(socketPath: long).report()
            }
        }
    }

    @Test func aFileThatDoesNotLoadStopsTheStart() async throws {
        try await withDirectory { directory in
            let path = directory + "/node.json"
            try configuration(targets: [], idleTimeout: 0).encodedJSON().write(to: URL(fileURLWithPath: path))
            let runner = ProxyNodeRunner(configurationPath: path, controlSocketPath: directory + "/node.sock",
                                         logger: Logger(label: "test"), accessLog: .discard)
            await #expect(throws: ProxyConfigurationError.self) { try await runner.run() }
            #expect(!FileManager.default.fileExists(atPath: directory + "/node.sock"))
            await #expect(throws: ProxyConfigurationError.self) {
                try await ProxyNodeRunner(configurationPath: directory + "/missing.json", controlSocketPath: nil,
                                          logger: Logger(label: "test")).run()
            }
        }
    }
}
