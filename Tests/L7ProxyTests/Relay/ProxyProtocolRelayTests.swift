import Foundation
import Testing

@testable import L7Proxy

/// A `TCP` listener (an NLB node's terminator for a target group with proxy protocol) on
/// loopback: curl is the client, the built-in target server behind the relay reports the
/// header it read.
@Suite(.serialized) struct ProxyProtocolRelayTests {
    /// The body and the client's port of an answer written with `-w "\n%{local_port}"`.
    static func split(_ answer: String) throws -> (body: String, clientPort: Int) {
        let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
        let port = try #require(lines.last.flatMap { Int($0) }, "\(answer)")
        return (lines.dropLast().joined(separator: "\n"), port)
    }

    /// A proxy whose one listener is TCP on a free port of 127.0.0.1, relayed to `relayPort`.
    static func withRelay(to relay: RelayConfiguration, _ body: (_ port: Int) async throws -> Void) async throws {
        var harness = ProxyHarness()
        var configuration = ProxyHarness.configuration(targetPorts: [])
        configuration.listeners = [ListenerConfiguration(address: "127.0.0.1", port: 0, protocol: .tcp, defaultActions: [],
                                                         relay: relay)]
        try await harness.startProxy(configuration)
        do {
            try await body(harness.proxyPort)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    @Test func theTargetReadsTheClientsAddressesAndTheEndpointFromTheHeader() async throws {
        var targets = ProxyHarness()
        let ports = try await targets.startTargets(["pp"])
        defer { Task { [targets] in await targets.shutdown() } }
        let relay = RelayConfiguration(address: "127.0.0.1", port: ports[0], proxyProtocol: true,
                                       vpcEndpoints: ["127.0.0.1": "vpce-0123456789abcdef0"])
        try await Self.withRelay(to: relay) { port in
            for path in ["/first", "/second"] {
                let answer = try await WitnessCommand.curl(["-sS", "--max-time", "10", "-w", "\n%{local_port}",
                                                            "http://127.0.0.1:\(port)\(path)"])
                let (body, clientPort) = try Self.split(answer)
                let echo = try JSONDecoder().decode(TargetEcho.self, from: Data(body.utf8))
                #expect(echo.path == path)
                #expect(echo.proxyProtocol == .init(command: "PROXY", source: "127.0.0.1:\(clientPort)",
                                                    destination: "127.0.0.1:\(port)", vpcEndpointId: "vpce-0123456789abcdef0"))
                #expect(echo.client != "127.0.0.1:\(clientPort)", "the target's peer is the relay, not the client")
            }
        }
    }

    @Test func withoutProxyProtocolTheBytesPassUnchangedBothWays() async throws {
        var targets = ProxyHarness()
        let ports = try await targets.startTargets(["plain"])
        defer { Task { [targets] in await targets.shutdown() } }
        try await Self.withRelay(to: RelayConfiguration(address: "127.0.0.1", port: ports[0])) { port in
            let echo = try JSONDecoder().decode(TargetEcho.self, from: Data(
                try await WitnessCommand.curl(["-sS", "--max-time", "10", "http://127.0.0.1:\(port)/plain"]).utf8))
            #expect(echo.proxyProtocol == nil)
            let download = try await WitnessCommand.curl(["-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{size_download}",
                                                          "http://127.0.0.1:\(port)/bytes/3000000"])
            #expect(download == "3000000")
        }
    }
}
