import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct ProxyForwardingTests {
    @Test func forwardsWithForwardingHeadersAndVia() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        let response = try #require(try await client.exchange(rawRequest(
            "GET", "/shop?item=1", host: "app.example:8443",
            headers: [("X-Forwarded-For", "192.0.2.1"), ("X-Forwarded-Proto", "https"), ("User-Agent", "probe/1")]
        )))
        #expect(response.status == .ok)
        let echo = try response.echo()
        #expect(echo.instance == "web-1")
        #expect(echo.path == "/shop?item=1")
        #expect(echo.host == "app.example:8443")
        #expect(echo.forwarded == TargetEcho.Forwarded(for: "192.0.2.1, 127.0.0.1", proto: "http", port: String(harness.proxyPort)))
        #expect(echo.via == ["alb-test-a"])

        let log = await harness.accessLog.waitForLines(1)
        let line = try #require(log.first)
        #expect(line.hasPrefix("http "))
        #expect(line.contains(" app/alb-test-a 127.0.0.1:"))
        #expect(line.contains(" 127.0.0.1:\(ports[0]) "))
        #expect(line.contains(" 200 200 "))
        #expect(line.contains("\"GET http://app.example:\(harness.proxyPort)/shop?item=1 HTTP/1.1\" \"probe/1\""))
        #expect(line.contains(" web \"Root=1-"))
        #expect(line.contains(" 0 "))
        #expect(line.contains("\"forward\""))
        await client.close()
    }

    @Test func keepAliveOnBothSidesAndRoundRobin() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1", "web-2"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        var instances: [String] = []
        var upstreamClients: [String: Set<String>] = [:]
        for index in 0..<6 {
            let response = try #require(try await client.exchange(rawRequest("GET", "/\(index)")))
            let echo = try response.echo()
            instances.append(echo.instance)
            upstreamClients[echo.instance, default: []].insert(echo.client)
        }
        #expect(Set(instances) == ["web-1", "web-2"])
        #expect(zip(instances, instances.dropFirst()).allSatisfy { $0 != $1 })
        // One pooled upstream connection per target carried all of its requests.
        #expect(upstreamClients.values.allSatisfy { $0.count == 1 })
        await client.close()
    }

    @Test func streamsLargeBodiesBothFramings() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        let large = String(repeating: "0123456789abcdef", count: 256 * 1024)
        let sized = try #require(try await client.exchange(rawRequest("POST", "/upload", body: large)))
        #expect(try sized.echo().method == "POST")

        var chunked = "PUT /chunks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        for _ in 0..<64 { chunked += "4000\r\n" + String(repeating: "x", count: 0x4000) + "\r\n" }
        chunked += "0\r\n\r\n"
        let streamed = try #require(try await client.exchange(chunked))
        #expect(try streamed.echo().path == "/chunks")
        await client.close()
    }

    @Test func http10ClientGetsConnectionClose() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        let response = try #require(try await client.exchange(rawRequest(host: nil, version: "HTTP/1.0")))
        #expect(response.head.version == .http1_0)
        #expect(response.head.headers["Connection"] == ["close"])
        #expect(try await client.response() == nil)
    }
}
