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
        try spawn(["ip", "netns", "exec", namespace, "python3", "-m", "http.server", String(port), "--bind", "127.0.0.1"])
    }

    /// Runs `ip ARGUMENTS...` and waits for it.
    private func shell(_ arguments: String...) throws {
        var status: Int32 = 0
        waitpid(try spawn(arguments), &status, 0)
    }

    /// Starts `arguments` with no descriptor beyond stdio: a child must not keep a listening
    /// socket of a test running beside this one open.
    private func spawn(_ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        _ = Self.addCloseFrom(&actions, 3)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc
    /// module does not declare: looked up once by name.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("glibc 2.34 or later is needed: posix_spawn_file_actions_addclosefrom_np is missing")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()
}
