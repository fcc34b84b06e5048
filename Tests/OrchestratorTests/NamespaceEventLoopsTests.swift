import Foundation
import Health
import NIOCore
import NIOPosix
import Testing
@testable import Orchestrator

/// NLB health checks leave from inside the node's namespace: a probe started on the namespace's
/// loop reaches a server listening on that namespace's loopback, which the root namespace's
/// loopback does not have.
@Suite(.serialized, .enabled(if: geteuid() == 0, "creates a network namespace and needs root"))
struct NamespaceEventLoopsTests {
    @Test func probesLeaveFromInsideTheNamespace() async throws {
        let namespace = "lbnet-t\(String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(6)))-probe"
        let port = 47_000 + Int.random(in: 0..<1000)
        try shell("ip", "netns", "add", namespace)
        defer { _ = try? shell("ip", "netns", "delete", namespace) }
        try shell("ip", "-n", namespace, "link", "set", "lo", "up")
        let arguments = ["ip", "netns", "exec", namespace, "python3", "-m", "http.server", String(port), "--bind", "127.0.0.1"]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var server: pid_t = 0
        #expect(posix_spawnp(&server, "ip", nil, nil, argv, environ) == 0)
        defer {
            kill(server, SIGKILL)
            waitpid(server, nil, 0)
        }
        let loops = NamespaceEventLoops()
        let settings = HealthCheckSettings.defaults(for: .network)
        var inside = TargetHealth.CheckResult.timeout
        for _ in 0..<100 {
            inside = try await HealthProbe.check(address: "127.0.0.1", trafficPort: port, settings: settings,
                                                 on: loops.loop(for: namespace)).get()
            if inside.isSuccess { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(inside.isSuccess, "the probe did not reach the server inside \(namespace): \(inside)")
        let outside = try await HealthProbe.check(address: "127.0.0.1", trafficPort: port, settings: settings,
                                                  on: MultiThreadedEventLoopGroup.singleton.next()).get()
        #expect(!outside.isSuccess, "a probe from the root namespace reached the namespace's server")
        await loops.shutdown()
    }

    @discardableResult
    private func shell(_ arguments: String...) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = Array(arguments.dropFirst())
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
