import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct ProxyRoutingTests {
    @Test func rulesPickActions() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1", "api-1"])
        let apiGroup = TargetGroupConfiguration(
            name: "api", port: 8080, healthCheck: HealthCheckConfiguration(enabled: false),
            targets: [TargetConfiguration(address: "127.0.0.1", port: ports[1], availabilityZone: "az-a")]
        )
        try await harness.startProxy(ProxyHarness.configuration(
            targetPorts: [ports[0]],
            rules: [
                ListenerRule(priority: 1, conditions: [.pathPattern(["/api/*"])], actions: [.forward([WeightedTargetGroup(name: "api")])]),
                ListenerRule(priority: 2, conditions: [.hostHeader(["old.example"])],
                             actions: [.redirect(RedirectAction(statusCode: "HTTP_301", host: "new.example", path: "/moved/#{path}"))]),
                ListenerRule(priority: 3, conditions: [.httpRequestMethod(["DELETE"])],
                             actions: [.fixedResponse(FixedResponseAction(statusCode: "403", contentType: "application/json", messageBody: "{\"denied\":true}"))]),
            ],
            extraGroups: [apiGroup]
        ))
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        #expect(try #require(try await client.exchange(rawRequest("GET", "/api/v1"))).echo().instance == "api-1")
        #expect(try #require(try await client.exchange(rawRequest("GET", "/home"))).echo().instance == "web-1")

        let redirect = try #require(try await client.exchange(rawRequest("GET", "/a/b?x=1", host: "old.example")))
        #expect(redirect.status == .movedPermanently)
        #expect(redirect.head.headers["Location"] == ["http://new.example:\(harness.proxyPort)/moved/a/b?x=1"])

        let denied = try #require(try await client.exchange(rawRequest("DELETE", "/home", body: "ignored body")))
        #expect(denied.status == .forbidden)
        #expect(denied.body == "{\"denied\":true}")
        #expect(denied.head.headers["Content-Type"] == ["application/json"])

        // The connection is still usable after local answers that dropped a request body.
        #expect(try #require(try await client.exchange(rawRequest("GET", "/again"))).status == .ok)

        let log = await harness.accessLog.waitForLines(5)
        #expect(log.contains { $0.contains(" 301 - ") && $0.contains("\"redirect\" \"http://new.example:") })
        #expect(log.contains { $0.contains(" 403 - ") && $0.contains(" 3 ") && $0.contains("\"fixed-response\"") })
        await client.close()
    }

    @Test func noRegisteredTargetsIs503() async throws {
        var harness = ProxyHarness()
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: []))
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        let response = try #require(try await client.exchange(rawRequest()))
        #expect(response.status == .serviceUnavailable)
        #expect(response.body.contains("<title>503 Service Temporarily Unavailable</title>"))
        #expect(response.head.headers["Server"] == ["awselb/2.0"])
        #expect(try #require(try await client.exchange(rawRequest())).status == .serviceUnavailable)
        await client.close()
    }

    @Test func crossZoneOffWithoutTargetInZoneIs503() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-b"], zones: ["az-b"])
        var configuration = ProxyHarness.configuration(targetPorts: ports, zones: ["az-b"])
        configuration.targetGroups[0].crossZoneEnabled = false
        try await harness.startProxy(configuration)
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        #expect(try #require(try await client.exchange(rawRequest())).status == .serviceUnavailable)
        await client.close()
    }

    @Test func refusedTargetIs502AndSilentTargetIs504() async throws {
        var harness = ProxyHarness()
        let closedPort = try await Self.unusedPort()
        let silent = try await SilentServer.start()
        // The target timeout is the idle timeout. 2 s, and each request on a connection of its
        // own, sent at once: a loaded machine's pause between two requests on one connection
        // can reach the client side's idle timeout, which closes it unanswered.
        var configuration = ProxyHarness.configuration(targetPorts: [closedPort], idleTimeoutSeconds: 2)
        configuration.targetGroups.append(TargetGroupConfiguration(
            name: "silent", port: 8080, healthCheck: HealthCheckConfiguration(enabled: false),
            targets: [TargetConfiguration(address: "127.0.0.1", port: silent.port, availabilityZone: "az-a")]
        ))
        configuration.listeners[0].rules = [
            ListenerRule(priority: 1, conditions: [.pathPattern(["/silent"])], actions: [.forward([WeightedTargetGroup(name: "silent")])])
        ]
        try await harness.startProxy(configuration)
        defer { Task { [harness] in await harness.shutdown(); await silent.close() } }

        let refusedClient = try await harness.connect()
        let refused = try #require(try await refusedClient.exchange(rawRequest()))
        await refusedClient.close()
        #expect(refused.status == .badGateway)
        #expect(refused.body.contains("<center><h1>502 Bad Gateway</h1></center>"))

        let silentClient = try await harness.connect()
        let timedOut = try #require(try await silentClient.exchange(rawRequest("GET", "/silent")))
        await silentClient.close()
        #expect(timedOut.status == .gatewayTimeout)
        let log = await harness.accessLog.waitForLines(2)
        #expect(log.contains { $0.contains(" 502 - ") && $0.contains("\"TargetConnectionError\"") })
        #expect(log.contains { $0.contains(" 504 - ") && $0.contains("\"TargetTimeout\"") })
    }

    /// A port on 127.0.0.1 that nothing listens on: a socket binds it and never listens, so a
    /// connection to it is refused, and stays open until the test process ends, so no other
    /// test's server is given the port meanwhile (a port bound and released can be, when many
    /// tests run at once).
    static func unusedPort() async throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(fd >= 0 && bound, "reserving a port on 127.0.0.1: errno \(errno)")
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
