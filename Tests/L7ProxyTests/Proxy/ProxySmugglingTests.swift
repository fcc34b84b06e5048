import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

/// Request smuggling and robustness vectors sent through a proxy node on loopback to a strict
/// recording backend: what the client got, and what the target received.
@Suite(.serialized) struct ProxySmugglingTests {
    struct Setup {
        var harness = ProxyHarness()
        var backend: StrictRecordingBackend

        func shutdown() async {
            await harness.shutdown()
            await backend.close()
        }
    }

    func start(
        mode: DesyncMitigationMode = .defensive, dropInvalid: Bool = false, rules: [ListenerRule] = []
    ) async throws -> Setup {
        let backend = try await StrictRecordingBackend.start()
        var setup = Setup(backend: backend)
        var configuration = ProxyHarness.configuration(targetPorts: [backend.port], rules: rules)
        configuration.requestHandling = RequestHandlingConfiguration(desyncMitigationMode: mode, dropInvalidHeaderFields: dropInvalid)
        try await setup.harness.startProxy(configuration)
        return setup
    }

    /// Sends `raw` on a new connection, expecting responses to `methods`; returns all responses
    /// until the proxy closes (or `limit` of them arrived).
    func exchange(_ raw: String, methods: [HTTPMethod] = [.GET], limit: Int = 10, setup: Setup) async throws -> [ReceivedResponse] {
        let client = try await setup.harness.connect()
        try await client.send(raw, methods: methods)
        let responses = try await client.responsesUntilClosed(limit: limit)
        await client.close()
        return responses
    }

    @Test func http10WithTransferEncodingNeverLetsTrailingBytesThrough() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
        let raw = "POST /upload HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + smuggled
        let responses = try await exchange(raw, methods: [.POST, .GET], setup: setup)
        #expect(responses.map(\.status) == [.ok])
        #expect(setup.backend.requests.map(\.head.uri) == ["/upload"])
        #expect(setup.backend.requests.first?.body == "abc")
        let log = await setup.harness.accessLog.waitForLines(1)
        #expect(log.first?.contains("\"Ambiguous\" \"UndefinedTransferEncodingSemantics\"") == true, "\(log)")
    }

    @Test func absoluteFormRoutesAndForwardsWithTheTargetsAuthority() async throws {
        let admin = ListenerRule(priority: 1, conditions: [.hostHeader(["admin.example"])],
                                 actions: [.fixedResponse(FixedResponseAction(statusCode: "403", contentType: "text/plain", messageBody: "no"))])
        let setup = try await start(rules: [admin])
        defer { Task { await setup.shutdown() } }
        let sneaky = try await exchange("GET http://admin.example/secret HTTP/1.1\r\nHost: www.example\r\nConnection: close\r\n\r\n",
                                        setup: setup)
        #expect(sneaky.map { $0.status.code } == [403])
        let other = try await exchange("GET http://www.example/page HTTP/1.1\r\nHost: admin.example\r\nConnection: close\r\n\r\n",
                                       setup: setup)
        #expect(other.map(\.status) == [.ok])
        #expect(setup.backend.requests.map(\.head.uri) == ["/page"])
        // routing.http.preserve_host_header.enabled is false: the listener's port is appended.
        #expect(setup.backend.requests.first?.head.headers["Host"] == ["www.example:\(setup.harness.proxyPort)"])
    }

    @Test func halfClosedClientGetsItsResponses() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let client = try await setup.harness.connect()
        try await client.send(rawRequest("GET", "/one") + rawRequest("GET", "/two"), methods: [.GET, .GET])
        try await client.shutdownWrite()
        let responses = try await client.responsesUntilClosed()
        await client.close()
        #expect(responses.map(\.body) == ["ok /one", "ok /two"])
    }

    @Test func connectionCloseWithPipelinedBytesIsAnsweredOnce() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let raw = rawRequest("GET", "/first", headers: [("Connection", "close")]) + rawRequest("GET", "/second")
        let responses = try await exchange(raw, methods: [.GET, .GET], setup: setup)
        #expect(responses.map(\.body) == ["ok /first"])
        #expect(responses.first?.head.headers["Connection"] == ["close"])
        #expect(setup.backend.requests.map(\.head.uri) == ["/first"])
    }

    @Test func connectIsRefusedWithoutReachingTheTarget() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let responses = try await exchange("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", methods: [.CONNECT],
                                           setup: setup)
        #expect(responses.map { $0.status.code } == [400])
        #expect(setup.backend.connections == 0)
    }

    @Test func refusedUpgradeLeavesThePipelineWorking() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let raw = rawRequest("GET", "/ws", headers: [("Connection", "Upgrade"), ("Upgrade", "websocket")]) + rawRequest("GET", "/next")
        let client = try await setup.harness.connect()
        try await client.send(raw, methods: [.GET, .GET])
        let first = try await client.response()
        let second = try await client.response()
        await client.close()
        #expect(first?.body == "ok /ws")
        #expect(second?.body == "ok /next")
        #expect(setup.backend.requests.allSatisfy { $0.head.headers["Upgrade"].isEmpty })
    }

    @Test func ambiguousFramingIsRoutedThenBothConnectionsClose() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let raw = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
        let responses = try await exchange(raw, methods: [.POST, .GET], setup: setup)
        #expect(responses.map(\.body) == ["ok /a"])
        #expect(responses.first?.head.headers["Connection"] == ["close"])
        #expect(setup.backend.requests.map(\.head.uri) == ["/a"])
        #expect(setup.backend.requests.first?.head.headers["Content-Length"].isEmpty == true)
        // The target connection was not kept: the next request opens a new one.
        _ = try await exchange(rawRequest("GET", "/later", headers: [("Connection", "close")]), setup: setup)
        #expect(setup.backend.connections == 2)
        let log = await setup.harness.accessLog.waitForLines(2)
        #expect(log.first?.contains("\"Ambiguous\" \"BothTeClPresent\"") == true, "\(log)")
    }

    @Test func severeAndUnframeableRequestsAre400() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let vectors = [
            "different lengths": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "listed lengths": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
            "negative length": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\nhello",
            "chunked twice": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
            "unknown coding": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
            "space before colon": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\nContent-Length: 3\r\n\r\nabc",
            "CR in a header": "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\rX-B: 2\r\n\r\n",
            "NUL in the target": "GET /a\u{0}b HTTP/1.1\r\nHost: a\r\n\r\n",
            "bad version": "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
            "bad method": "G@T / HTTP/1.1\r\nHost: a\r\n\r\n",
            "no host": "GET / HTTP/1.1\r\n\r\n",
            "two hosts": "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "garbage": "NOT HTTP AT ALL\r\n\r\n",
            "header over 16K": "GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "a", count: 17 * 1024))\r\n\r\n",
            "headers over 64K": "GET / HTTP/1.1\r\nHost: a\r\n"
                + (0..<6).map { "X-H\($0): \(String(repeating: "h", count: 12 * 1024))\r\n" }.joined() + "\r\n",
        ]
        for (name, raw) in vectors {
            let responses = try await exchange(raw, setup: setup)
            #expect(responses.map { $0.status.code } == [400], "\(name)")
            #expect(responses.first?.head.headers["Connection"] == ["close"], "\(name)")
        }
        #expect(setup.backend.connections == 0)
        let log = await setup.harness.accessLog.waitForLines(vectors.count)
        #expect(log.filter { $0.contains(" 400 - ") }.count == vectors.count)
        #expect(log.contains { $0.contains("\"Severe\" \"MultipleContentLength\"") })
    }

    @Test func badChunksNeverCompleteARequestAtTheTarget() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let vectors = [
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello\r\n0\r\n\r\n",
        ]
        for raw in vectors {
            let responses = try await exchange(raw, methods: [.POST], setup: setup)
            #expect(responses.map { $0.status.code } == [400], "\(raw.debugDescription)")
        }
        #expect(setup.backend.requests.isEmpty)
    }

    @Test func lenientButSafeRequestsAreServed() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let vectors: [(String, String)] = [
            ("GET /bare-lf HTTP/1.1\nHost: a\nConnection: close\n\n", "/bare-lf"),
            ("GET /a b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "/a%20b"),
            ("GET /v HTTP/1.2\r\nHost: a\r\nConnection: close\r\n\r\n", "/v"),
            ("\r\nGET /leading-crlf HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "/leading-crlf"),
        ]
        for (raw, uri) in vectors {
            let responses = try await exchange(raw, methods: [HTTPMethod(rawValue: String(raw.drop { $0 == "\r" || $0 == "\n" }.prefix { $0 != " " }))],
                                               setup: setup)
            #expect(responses.map(\.body) == ["ok \(uri)"], "\(raw.debugDescription)")
        }
        #expect(setup.backend.requests.map(\.head.uri) == vectors.map(\.1))
        #expect(setup.backend.parseErrors == 0)
    }

    @Test func customMethodsAreAcceptedAndMatchMethodRules() async throws {
        let purge = ListenerRule(priority: 1, conditions: [.httpRequestMethod(["PURGEALL"])],
                                 actions: [.fixedResponse(FixedResponseAction(statusCode: "200", contentType: "text/plain", messageBody: "purged"))])
        let setup = try await start(rules: [purge])
        defer { Task { await setup.shutdown() } }
        let responses = try await exchange("PURGEALL /cache HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
                                           methods: [.RAW(value: "PURGEALL")], setup: setup)
        #expect(responses.map(\.body) == ["purged"])
        let log = await setup.harness.accessLog.waitForLines(1)
        #expect(log.first?.contains("\"PURGEALL http://a:") == true, "\(log)")
    }

    @Test func foldedHeadersAreJoinedNotSmuggled() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let raw = "POST /fold HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc"
        let responses = try await exchange(raw, methods: [.POST], setup: setup)
        #expect(responses.map(\.body) == ["ok /fold"])
        #expect(setup.backend.requests.first?.head.headers["X-A"] == ["1 Transfer-Encoding: chunked"])
        #expect(setup.backend.requests.first?.head.headers["Transfer-Encoding"].isEmpty == true)
        #expect(setup.backend.requests.first?.body == "abc")
    }

    @Test func pipelinedRequestsAndChunkedTrailersKeepOrder() async throws {
        let setup = try await start()
        defer { Task { await setup.shutdown() } }
        let raw = "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
            + rawRequest("GET", "/2") + rawRequest("GET", "/3", headers: [("Connection", "close")])
        let responses = try await exchange(raw, methods: [.POST, .GET, .GET], setup: setup)
        #expect(responses.map(\.body) == ["ok /c", "ok /2", "ok /3"])
        #expect(setup.backend.requests.first?.body == "abcde")
    }

    @Test func invalidHeaderNamesAreDroppedWhenAsked() async throws {
        for drop in [false, true] {
            let setup = try await start(dropInvalid: drop)
            let raw = rawRequest("GET", "/h", headers: [("X_Under", "1"), ("X-Ok", "2"), ("Connection", "close")])
            _ = try await exchange(raw, setup: setup)
            let received = setup.backend.requests.first?.head.headers
            #expect(received?["X_Under"].isEmpty == drop)
            #expect(received?["X-Ok"] == ["2"])
            await setup.shutdown()
        }
    }

    @Test func eachModeTreatsEachTierAsAWSSays() async throws {
        // Acceptable (bare LF), Ambiguous (GET with a body length), Severe (CR in a header value).
        let after = rawRequest("GET", "/after", headers: [("Connection", "close")])
        let acceptable = "GET /acc HTTP/1.1\nHost: a\n\n" + after
        let ambiguous = "GET /amb HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nxy" + after
        let expectations: [(DesyncMitigationMode, String, [UInt])] = [
            (.monitor, acceptable, [200, 200]), (.monitor, ambiguous, [200, 200]),
            (.defensive, acceptable, [200, 200]), (.defensive, ambiguous, [200]),
            (.strictest, acceptable, [400]), (.strictest, ambiguous, [400]),
        ]
        for (mode, raw, statuses) in expectations {
            let setup = try await start(mode: mode)
            let responses = try await exchange(raw, methods: [.GET, .GET], setup: setup)
            #expect(responses.map { $0.status.code } == statuses, "\(mode) \(raw.debugDescription)")
            await setup.shutdown()
        }
        let severe = "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r2\r\nConnection: close\r\n\r\n"
        for mode in [DesyncMitigationMode.defensive, .strictest] {
            let setup = try await start(mode: mode)
            #expect(try await exchange(severe, setup: setup).map { $0.status.code } == [400], "\(mode)")
            await setup.shutdown()
        }
    }
}
