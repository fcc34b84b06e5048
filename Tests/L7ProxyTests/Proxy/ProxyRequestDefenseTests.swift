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

        let attacks = [
            "both framings": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "conflicting lengths": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "bad chunk size": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            "other coding": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            "long header": "GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "a", count: 17 * 1024))\r\n\r\n",
            "long request line": "GET /\(String(repeating: "p", count: 17 * 1024)) HTTP/1.1\r\nHost: a\r\n\r\n",
            "headers over 64K": "GET / HTTP/1.1\r\nHost: a\r\n"
                + (0..<6).map { "X-H\($0): \(String(repeating: "h", count: 12 * 1024))\r\n" }.joined() + "\r\n",
            "no host": "GET / HTTP/1.1\r\n\r\n",
            "garbage": "NOT HTTP AT ALL\r\n\r\n",
        ]
        for (name, raw) in attacks {
            let (response, closed) = try await answer(raw, harness: harness)
            #expect(response?.status == .badRequest, "\(name)")
            #expect(response?.body.contains("<title>400 Bad Request</title>") == true, "\(name)")
            #expect(closed, "\(name)")
        }
        let log = await harness.accessLog.waitForLines(attacks.count)
        #expect(log.filter { $0.contains(" 400 - ") }.count == attacks.count)
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
