import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct ProxyReloadTests {
    @Test func reloadAppliesToOpenConnectionsAndKeepsInFlightRequests() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1", "web-2"])
        let slow = try await SilentServer.start()
        var first = ProxyHarness.configuration(targetPorts: [ports[0]])
        first.targetGroups.append(TargetGroupConfiguration(
            name: "slow", port: 8080, healthCheck: HealthCheckConfiguration(enabled: false),
            targets: [TargetConfiguration(address: "127.0.0.1", port: slow.port, availabilityZone: "az-a")]
        ))
        first.listeners[0].rules = [
            ListenerRule(priority: 1, conditions: [.pathPattern(["/slow"])], actions: [.forward([WeightedTargetGroup(name: "slow")])])
        ]
        try await harness.startProxy(first)
        defer { Task { [harness] in await harness.shutdown(); await slow.close() } }
        let proxy = try #require(harness.proxy)

        let client = try await harness.connect()
        #expect(try #require(try await client.exchange(rawRequest())).echo().instance == "web-1")

        // A request in flight to a target that answers only after the reload.
        let waiting = try await harness.connect()
        try await waiting.send(rawRequest("GET", "/slow"))

        var second = first
        second.targetGroups[0].targets = [TargetConfiguration(address: "127.0.0.1", port: ports[1], availabilityZone: "az-a")]
        second.listeners[0].rules.append(ListenerRule(
            priority: 2, conditions: [.pathPattern(["/maintenance"])],
            actions: [.fixedResponse(FixedResponseAction(statusCode: "503", contentType: "text/plain", messageBody: "later"))]
        ))
        try await proxy.reload(configuration: second)

        #expect(try #require(try await client.exchange(rawRequest())).echo().instance == "web-2")
        #expect(try #require(try await client.exchange(rawRequest("GET", "/maintenance"))).body == "later")

        let slowConnection = try #require(try await slow.acceptedConnection())
        try await slowConnection.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow"))
        let late = try #require(try await waiting.response())
        #expect(late.body == "slow")

        #expect(harness.proxy?.targetHealth().map(\.port).contains(ports[0]) == false)
        await client.close()
        await waiting.close()
    }

    @Test func reloadOpensAndClosesListeners() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        let configuration = ProxyHarness.configuration(targetPorts: ports)
        try await harness.startProxy(configuration)
        defer { Task { [harness] in await harness.shutdown() } }
        let proxy = try #require(harness.proxy)

        let kept = try await harness.connect()
        #expect(try #require(try await kept.exchange(rawRequest())).status == .ok)
        var moved = configuration
        moved.listeners[0].address = "127.0.0.2"
        try await proxy.reload(configuration: moved)
        #expect(Set(proxy.listeningAddresses.keys) == ["127.0.0.2:0"])
        await #expect(throws: (any Error).self) { _ = try await harness.connect() }
        // The connection accepted by the closed listener keeps working with the rules it had.
        #expect(try #require(try await kept.exchange(rawRequest())).status == .ok)
        await kept.close()
    }

    @Test func invalidReloadIsRejectedAndChangesNothing() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        let configuration = ProxyHarness.configuration(targetPorts: ports)
        try await harness.startProxy(configuration)
        defer { Task { [harness] in await harness.shutdown() } }

        var broken = configuration
        broken.listeners[0].defaultActions = [.forward([WeightedTargetGroup(name: "missing")])]
        await #expect(throws: ProxyConfigurationError.self) { try await harness.proxy?.reload(configuration: broken) }
        let client = try await harness.connect()
        #expect(try #require(try await client.exchange(rawRequest())).status == .ok)
        await client.close()
    }
}
