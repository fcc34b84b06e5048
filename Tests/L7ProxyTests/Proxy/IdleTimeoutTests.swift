import NIOCore
import Testing

@testable import L7Proxy

/// The load balancer's idle timeout on client connections (``IdleTimeoutHandler``): a
/// keep-alive connection that carries nothing closes after it, and one that keeps talking stays.
@Suite struct IdleTimeoutTests {
    @Test func aSilentKeepAliveConnectionClosesAndATalkingOneStays() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        try await harness.startProxy(ProxyHarness.configuration(targetPorts: ports, idleTimeoutSeconds: 1))
        defer { Task { [harness] in await harness.shutdown() } }
        let silent = try await harness.connect()
        let talking = try await harness.connect()
        #expect(try await silent.exchange(rawRequest("GET", "/first"))?.status == .ok)
        // A request every 400 ms for 2.4 s: more than twice the timeout, never a second of silence.
        let start = ContinuousClock.now
        for index in 0..<6 {
            #expect(try await talking.exchange(rawRequest("GET", "/\(index)"))?.status == .ok, "request \(index)")
            try await Task.sleep(for: .milliseconds(400))
        }
        #expect(ContinuousClock.now - start >= .seconds(2))
        #expect(try await talking.exchange(rawRequest("GET", "/last"))?.status == .ok, "the talking connection was closed")
        #expect(!silent.isOpen, "the silent connection is still open after more than twice the idle timeout")
        await silent.close()
        await talking.close()
    }
}
