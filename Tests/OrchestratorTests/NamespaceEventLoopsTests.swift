import Foundation
import Health
import NIOCore
import NIOPosix
import Testing
@testable import Orchestrator

/// NLB health checks leave from inside the node's namespace: a probe started on the namespace's
/// loop reaches a server listening on that namespace's loopback, which the root namespace's
/// loopback does not have, also after the namespace was deleted and created again.
@Suite(.serialized, .enabled(if: geteuid() == 0, "creates a network namespace and needs root"))
struct NamespaceEventLoopsTests {
    @Test func probesLeaveFromInsideTheNamespace() async throws {
        let namespace = "lbnet-t\(String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(6)))-probe"
        let port = 47_000 + Int.random(in: 0..<1000)
        try shell("ip", "netns", "add", namespace)
        defer { _ = try? shell("ip", "netns", "delete", namespace) }
        try shell("ip", "-n", namespace, "link", "set", "lo", "up")
        let loops = NamespaceEventLoops()
        let settings = HealthCheckSettings.defaults(for: .network)
        for round in 1...2 {
            if round == 2 {
                // The namespace is deleted and created again under its name: the next probe
                // must leave from the new one, not from the old loop's.
                try shell("ip", "netns", "delete", namespace)
                try shell("ip", "netns", "add", namespace)
                try shell("ip", "-n", namespace, "link", "set", "lo", "up")
            }
            let server = try startServer(in: namespace, port: port)
            defer {
                kill(server, SIGKILL)
                waitpid(server, nil, 0)
            }
            var inside = TargetHealth.CheckResult.timeout
            for _ in 0..<100 {
                inside = try await HealthProbe.check(address: "127.0.0.1", trafficPort: port, settings: settings,
                                                     on: try await loops.loop(for: namespace)).get()
                if inside.isSuccess { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(inside.isSuccess, "round \(round): the probe did not reach the server inside \(namespace): \(inside)")
        }
        let outside = try await HealthProbe.check(address: "127.0.0.1", trafficPort: port, settings: settings,
                                                  on: MultiThreadedEventLoopGroup.singleton.next()).get()
        #expect(!outside.isSuccess, "a probe from the root namespace reached the namespace's server")
        await loops.shutdown()
    }

    /// Starts a small HTTP server on the loopback of `namespace`; the caller kills it.
    private func startServer(in namespace: String, port: Int) throws -> pid_t {
        let arguments = ["ip", "netns", "exec", namespace, "python3", "-m", "http.server", String(port), "--bind", "127.0.0.1"]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var server: pid_t = 0
        let spawned = posix_spawnp(&server, "ip", nil, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        return server
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
