import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct ProxyStreamingTests {
    /// A proxy whose only target is a ``SilentServer`` the test answers by hand.
    func withHandAnsweredTarget(
        _ body: (ProxyHarness, SilentServer) async throws -> Void
    ) async throws {
        var harness = ProxyHarness()
        let target = try await SilentServer.start()
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: [target.port]))
        do {
            try await body(harness, target)
        } catch {
            await harness.shutdown()
            await target.close()
            throw error
        }
        await harness.shutdown()
        await target.close()
    }

    @Test func largeChunkedResponseArrivesWhole() async throws {
        try await withHandAnsweredTarget { harness, target in
            let client = try await harness.connect()
            try await client.send(rawRequest("GET", "/download"))
            let upstream = try #require(try await target.acceptedConnection())
            let chunk = String(repeating: "z", count: 64 * 1024)
            try await upstream.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))
            for _ in 0..<128 {
                try await upstream.writeAndFlush(ByteBuffer(string: "10000\r\n\(chunk)\r\n"))
            }
            try await upstream.writeAndFlush(ByteBuffer(string: "0\r\n\r\n"))
            let response = try #require(try await client.response())
            #expect(response.status == .ok)
            #expect(response.body.utf8.count == 128 * 64 * 1024)
            #expect(response.head.headers["Transfer-Encoding"] == ["chunked"])
            await client.close()
        }
    }

    @Test func aBodyEndingWithTheTargetsConnectionReachesTheClientChunked() async throws {
        try await withHandAnsweredTarget { harness, target in
            let client = try await harness.connect()
            try await client.send(rawRequest("GET", "/until-close"))
            let upstream = try #require(try await target.acceptedConnection())
            try await upstream.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 OK\r\nX-Kind: close-delimited\r\n\r\nfirst part, "))
            try await upstream.writeAndFlush(ByteBuffer(string: "second part"))
            try await upstream.close()
            let response = try #require(try await client.response())
            #expect(response.body == "first part, second part")
            #expect(response.head.headers["Transfer-Encoding"] == ["chunked"])
            #expect(response.head.headers["X-Kind"] == ["close-delimited"])
            // The client connection stays usable: the next request gets a new target connection.
            try await client.send(rawRequest("GET", "/next"))
            _ = try #require(try await target.acceptedConnection(after: 1))
            await client.close()
        }
    }

    @Test func anAnswerToHEADWithoutLengthLeavesNoBodyBytes() async throws {
        try await withHandAnsweredTarget { harness, target in
            let client = try await harness.connect()
            try await client.send(rawRequest("HEAD", "/head"))
            let upstream = try #require(try await target.acceptedConnection())
            try await upstream.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 OK\r\nX-Kind: head\r\n\r\n"))
            let head = try #require(try await client.response())
            #expect(head.status == .ok && head.body.isEmpty)
            // A stray last chunk after the head would be read as the next response's start.
            try await client.send(rawRequest("GET", "/after-head"))
            try await upstream.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext"))
            let next = try #require(try await client.response())
            #expect(next.status == .ok && next.body == "next")
            await client.close()
        }
    }

    @Test func targetClosingMidResponseClosesClient() async throws {
        try await withHandAnsweredTarget { harness, target in
            let client = try await harness.connect()
            try await client.send(rawRequest())
            let upstream = try #require(try await target.acceptedConnection())
            try await upstream.writeAndFlush(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial"))
            try await upstream.close()
            #expect(try await client.response() == nil)
        }
    }

    @Test func targetClosingBeforeResponseIs502() async throws {
        try await withHandAnsweredTarget { harness, target in
            let client = try await harness.connect()
            try await client.send(rawRequest())
            try await #require(try await target.acceptedConnection()).close()
            #expect(try await client.response()?.status == .badGateway)
            await client.close()
        }
    }

    @Test func malformedTargetResponseIs502() async throws {
        try await withHandAnsweredTarget { harness, target in
            let client = try await harness.connect()
            try await client.send(rawRequest())
            try await #require(try await target.acceptedConnection()).writeAndFlush(ByteBuffer(string: "NONSENSE\r\n\r\n"))
            #expect(try await client.response()?.status == .badGateway)
            await client.close()
        }
    }

    @Test func clientLeavingBeforeAnswerIsLogged460() async throws {
        try await withHandAnsweredTarget { harness, target in
            let client = try await harness.connect()
            try await client.send(rawRequest("GET", "/abandoned"))
            _ = try #require(try await target.acceptedConnection())
            // A FIN alone may be a half-close, which is still answered; a reset is the client leaving.
            await client.reset()
            let log = await harness.accessLog.waitForLines(1)
            #expect(log.first?.contains(" 460 - ") == true, "\(log)")
            #expect(log.first?.contains("\"ClientClosedConnection\"") == true)
        }
    }

    @Test func expectContinueIsAnsweredByTheNode() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        try await client.send("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        try await Task.sleep(for: .milliseconds(50))
        try await client.send("data", methods: [])
        let response = try #require(try await client.response())
        #expect(response.status == .ok)
        #expect(try response.echo().method == "POST")
        await client.close()
    }

    @Test func headAndPipelinedRequests() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        try await client.send(rawRequest("HEAD", "/h") + rawRequest("GET", "/one") + rawRequest("GET", "/two"), methods: [.HEAD, .GET, .GET])
        let head = try #require(try await client.response(), "\(harness.accessLog.all)")
        #expect(head.status == .ok)
        #expect(head.body.isEmpty)
        #expect(try #require(try await client.response()).echo().path == "/one")
        #expect(try #require(try await client.response()).echo().path == "/two")
        await client.close()
    }

    @Test func leastOutstandingRequestsAvoidsTheBusyTarget() async throws {
        var harness = ProxyHarness()
        let busy = try await SilentServer.start()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: [busy.port, ports[0]], algorithm: .leastOutstandingRequests))
        defer { Task { [harness] in await harness.shutdown(); await busy.close() } }

        // Occupy whichever target the first request lands on, then see where others go.
        let first = try await harness.connect()
        try await first.send(rawRequest("GET", "/first"))
        try await Task.sleep(for: .milliseconds(50))
        let firstLandedOnBusy = try await busy.acceptedConnection() != nil
        let client = try await harness.connect()
        if firstLandedOnBusy {
            for _ in 0..<3 {
                #expect(try #require(try await client.exchange(rawRequest())).echo().instance == "web-1")
            }
        } else {
            #expect(try #require(try await first.response()).status == .ok)
        }
        await client.close()
        await first.close()
    }
}
