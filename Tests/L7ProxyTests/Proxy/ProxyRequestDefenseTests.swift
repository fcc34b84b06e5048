import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct ProxyRequestDefenseTests {
    /// Sends `raw` on a new connection; returns the answer and whether the proxy then closed.
    func answer(_ raw: String, harness: ProxyHarness) async throws -> (ReceivedResponse?, closed: Bool) {
        let client = try await harness.connect()
        let response = try await client.exchange(raw)
        let next = try await client.response()
        await client.close()
        return (response, next == nil)
    }

    /// Sends `raw` on a new connection and returns the answer.
    func answerOnly(_ raw: String, harness: ProxyHarness) async throws -> ReceivedResponse? {
        let client = try await harness.connect()
        let response = try await client.exchange(raw)
        await client.close()
        return response
    }

    @Test func smugglingAndLimitViolationsAre400AndClose() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }

        let attacks: [String: (String, UInt)] = [
            "conflicting lengths": ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
            "bad chunk size": ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
            "other coding": ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
            "long header": ("GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "a", count: 17 * 1024))\r\n\r\n", 400),
            "long request line": ("GET /\(String(repeating: "p", count: 17 * 1024)) HTTP/1.1\r\nHost: a\r\n\r\n", 414),
            "headers over 64K": ("GET / HTTP/1.1\r\nHost: a\r\n"
                + (0..<6).map { "X-H\($0): \(String(repeating: "h", count: 12 * 1024))\r\n" }.joined() + "\r\n", 400),
            "no host": ("GET / HTTP/1.1\r\n\r\n", 400),
            "garbage": ("NOT HTTP AT ALL\r\n\r\n", 400),
            "trace": ("TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", 405),
        ]
        for (name, (raw, status)) in attacks {
            let (response, closed) = try await answer(raw, harness: harness)
            #expect(response?.status.code == status, "\(name)")
            #expect(response?.body.contains("<title>\(status) ") == true, "\(name)")
            #expect(closed, "\(name)")
        }
        let log = await harness.accessLog.waitForLines(attacks.count)
        #expect(log.filter { line in attacks.values.contains { line.contains(" \($0.1) - ") } }.count == attacks.count)
        #expect(log.contains { $0.contains(" 414 - ") && $0.contains("\"RequestLineTooLong\"") })
        #expect(log.contains { $0.contains(" 501 - ") && $0.contains("\"UnsupportedTransferEncoding\"") })
        #expect(log.contains { $0.contains(" 405 - ") && $0.contains("\"MethodNotAllowed\"") })
    }

    @Test func partialRequestIs408AfterTheIdleTimeout() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        // 2 s: a loaded machine may take a second between connecting and sending, and an idle
        // connection closes at the timeout without an answer.
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports, idleTimeoutSeconds: 2))
        defer { Task { [harness] in await harness.shutdown() } }
        let client = try await harness.connect()
        try await client.send("GET /slow HTTP/1.1\r\nHost: a\r\n")
        let response = try await client.response()
        await client.close()
        #expect(response?.status.code == 408)
        let log = await harness.accessLog.waitForLines(1)
        #expect(log.first?.contains(" 408 - ") == true && log.first?.contains("\"RequestTimeout\"") == true, "\(log)")
    }

    @Test func bodiesOverOneMegabyteReachInstanceTargets() async throws {
        // AWS answers 413 only for Lambda targets, which lbnet does not have.
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }
        let body = String(repeating: "b", count: 2 * 1024 * 1024)
        let response = try await answerOnly(rawRequest("POST", "/big", body: body), harness: harness)
        #expect(response?.status == .ok)
    }

    @Test func tooManyForwardedAddressesIs463() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }

        let addresses = (1...31).map { "10.0.0.\($0)" }.joined(separator: ", ")
        let response = try await answerOnly(rawRequest(headers: [("X-Forwarded-For", addresses)]), harness: harness)
        #expect(response.map { Int($0.status.code) } == 463)

        let thirty = (1...30).map { "10.0.0.\($0)" }.joined(separator: ", ")
        let accepted = try await answerOnly(rawRequest(headers: [("X-Forwarded-For", thirty)]), harness: harness)
        #expect(accepted?.status == .ok)
    }

    @Test func listedDuplicateLengthIsRefused() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports))
        defer { Task { [harness] in await harness.shutdown() } }

        let response = try await answerOnly("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", harness: harness)
        #expect(response?.status == .badRequest)
    }
}
