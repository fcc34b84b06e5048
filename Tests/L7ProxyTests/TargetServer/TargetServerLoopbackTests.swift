import Foundation
import NIOCore
import NIOHTTP1
import Testing

import L7Proxy

@Suite struct TargetServerLoopbackTests {
    func withServer(_ body: (ListeningServer) async throws -> Void) async throws {
        let server = try await TargetServer(
            configuration: .init(instanceName: "web-a", availabilityZone: "az-a", host: "127.0.0.1", port: 0)
        ).bind()
        do {
            try await body(server)
        } catch {
            await server.close()
            throw error
        }
        await server.close()
    }

    @Test func answersWithEchoOverKeepAlive() async throws {
        try await withServer { server in
            let port = try #require(server.localAddress.port)
            let connection = try await TestHTTPConnection.connect(port: port)
            defer { Task { await connection.close() } }

            let first = try #require(
                try await connection.exchange(
                    rawRequest("POST", "/orders?x=1", host: "app.example",
                               headers: [("X-Forwarded-For", "192.0.2.7"), ("X-Lbnet-Via", "alb-a")],
                               body: String(repeating: "b", count: 100_000))
                )
            )
            #expect(first.status == .ok)
            #expect(first.head.headers["Content-Type"] == ["application/json"])
            #expect(first.head.headers["Content-Length"] == [String(first.body.utf8.count)])
            let echo = try JSONDecoder().decode(TargetEcho.self, from: Data(first.body.utf8))
            #expect(echo.instance == "web-a")
            #expect(echo.availabilityZone == "az-a")
            #expect(echo.address == "127.0.0.1:\(port)")
            #expect(echo.client == connection.localAddress.map { "127.0.0.1:\($0.port!)" })
            #expect(echo.method == "POST")
            #expect(echo.path == "/orders?x=1")
            #expect(echo.host == "app.example")
            #expect(echo.forwarded.for == "192.0.2.7")
            #expect(echo.via == ["alb-a"])

            let chunked = "PUT /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
            let second = try #require(try await connection.exchange(chunked))
            #expect(try JSONDecoder().decode(TargetEcho.self, from: Data(second.body.utf8)).method == "PUT")

            let health = try #require(try await connection.exchange(rawRequest("GET", "/health")))
            #expect(health.body == "ok")
        }
    }

    @Test func answersFillerRequestsWithTheBytesTheyAskForAfterTheBody() async throws {
        try await withServer { server in
            let connection = try await TestHTTPConnection.connect(port: try #require(server.localAddress.port))
            defer { Task { await connection.close() } }
            let big = try #require(try await connection.exchange(rawRequest("GET", "/bytes/70000")))
            #expect(big.status == .ok)
            #expect(big.head.headers["Content-Length"] == ["70000"])
            #expect(big.body == String(repeating: "x", count: 70000))
            let upload = try #require(
                try await connection.exchange(rawRequest("POST", "/bytes/2", body: String(repeating: "u", count: 300_000))))
            #expect(upload.body == "xx")
        }
    }

    @Test func reportsWhatAProxyProtocolHeaderCarried() async throws {
        try await withServer { server in
            let connection = try await TestHTTPConnection.connect(port: try #require(server.localAddress.port))
            defer { Task { await connection.close() } }
            let header = ProxyProtocolHeader(proxying: .stream, from: .init(address: [198, 51, 100, 7], port: 40312),
                                             to: .init(address: [10, 0, 1, 10], port: 80), vpcEndpointID: "vpce-0abc")
            let request = Array(rawRequest("GET", "/pp").utf8)
            // The header arrives in two pieces, the second with the request behind it.
            try await connection.send(bytes: Array(header.encoded().prefix(10)), methods: [])
            try await connection.send(bytes: Array(header.encoded().dropFirst(10)) + request, methods: [.GET])
            let response = try #require(try await connection.response())
            let echo = try JSONDecoder().decode(TargetEcho.self, from: Data(response.body.utf8))
            #expect(echo.path == "/pp")
            #expect(echo.proxyProtocol == .init(command: "PROXY", source: "198.51.100.7:40312", destination: "10.0.1.10:80",
                                                vpcEndpointId: "vpce-0abc"))
            #expect(echo.client.hasPrefix("127.0.0.1:"))

            let plain = try await TestHTTPConnection.connect(port: try #require(server.localAddress.port))
            let second = try #require(try await plain.exchange(rawRequest("GET", "/plain")))
            #expect(!second.body.contains("proxyProtocol"))
            await plain.close()
        }
    }

    @Test func closesAConnectionWithAMalformedHeader() async throws {
        try await withServer { server in
            let connection = try await TestHTTPConnection.connect(port: try #require(server.localAddress.port))
            try await connection.send(bytes: ProxyProtocolHeader.signature + [0x11, 0x11, 0x00, 0x00], methods: [])
            #expect(try await connection.response() == nil)
            await connection.close()
        }
    }

    @Test func http10ClosesAfterResponse() async throws {
        try await withServer { server in
            let connection = try await TestHTTPConnection.connect(port: try #require(server.localAddress.port))
            let response = try #require(try await connection.exchange(rawRequest(version: "HTTP/1.0")))
            #expect(response.head.version == .http1_0)
            #expect(response.head.headers["Connection"] == ["close"])
            #expect(try await connection.response() == nil)
            await connection.close()
        }
    }

    @Test func headAnswersWithoutBodyAndPipelinedRequestsAnswerInOrder() async throws {
        try await withServer { server in
            let connection = try await TestHTTPConnection.connect(port: try #require(server.localAddress.port))
            try await connection.send(
                rawRequest("HEAD", "/a") + rawRequest("GET", "/health") + rawRequest("GET", "/b"),
                methods: [.HEAD, .GET, .GET]
            )
            let head = try #require(try await connection.response())
            #expect(head.body.isEmpty)
            #expect(Int(head.head.headers["Content-Length"].first ?? "") ?? 0 > 0)
            #expect(try await connection.response()?.body == "ok")
            let last = try #require(try await connection.response())
            #expect(try JSONDecoder().decode(TargetEcho.self, from: Data(last.body.utf8)).path == "/b")
            await connection.close()
        }
    }

    @Test func cancellationStopsRun() async throws {
        let server = try await TargetServer(
            configuration: .init(instanceName: "w", availabilityZone: "z", host: "127.0.0.1", port: 0)
        ).bind()
        let task = Task { try await server.run() }
        task.cancel()
        try await task.value
    }

    @Test func bindFailureNamesTheAddress() async throws {
        let first = try await TargetServer(
            configuration: .init(instanceName: "w", availabilityZone: "z", host: "127.0.0.1", port: 0)
        ).bind()
        let port = try #require(first.localAddress.port)
        let error = await #expect(throws: ListeningServerError.self) {
            _ = try await TargetServer(
                configuration: .init(instanceName: "w", availabilityZone: "z", host: "127.0.0.1", port: port)
            ).bind()
        }
        #expect(error.map { "\($0)" }?.contains("127.0.0.1:\(port)") == true)
        await first.close()
    }
}
