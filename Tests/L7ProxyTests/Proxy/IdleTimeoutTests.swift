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
        let clock = ContinuousClock()
        // The silent connection's one request: it fails only if the machine starves this task
        // for the timeout between connecting and sending (the node has closed it by then).
        let silentStart = clock.now
        let silent = try await harness.connect()
        let first = try? await silent.exchange(rawRequest("GET", "/first"))
        if clock.now - silentStart < .milliseconds(900) { #expect(first?.status == .ok) }
        // A request every 300 ms for 2.1 s: more than twice the timeout, never a second of
        // silence, unless the machine starves this task (the gaps are measured, from before the
        // connection is made, each until its answer or failure: a connection that closed after
        // a starved second fails the next write, which counts only when no gap reached 900 ms).
        let start = clock.now
        var last = start
        let talking = try await harness.connect()
        var longestGap = Duration.zero
        for index in 0..<7 {
            try await Task.sleep(for: .milliseconds(300))
            let answer: ReceivedResponse?
            do {
                answer = try await talking.exchange(rawRequest("GET", "/\(index)"))
            } catch {
                answer = nil
            }
            longestGap = max(longestGap, clock.now - last)
            last = clock.now
            if longestGap < .milliseconds(900) { #expect(answer?.status == .ok, "request \(index)") }
        }
        #expect(clock.now - start >= .seconds(2))
        #expect(!silent.isOpen, "the silent connection is still open after more than twice the idle timeout")
        await silent.close()
        await talking.close()
    }
}
