import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

/// What a proxy node counts, read back as the daemon reads it (`metricsReport`): each answered
/// request once, by target group and by who generated the status, with its bytes and
/// connections.
@Suite struct ProxyMetricsTests {
    @Test func countsEachAnsweredRequestByGroupAndOrigin() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        let empty = TargetGroupConfiguration(name: "empty", port: 8080, healthCheck: HealthCheckConfiguration(enabled: false), targets: [])
        try await harness.startProxy(ProxyHarness.configuration(
            targetPorts: [ports[0]],
            rules: [
                ListenerRule(priority: 1, conditions: [.pathPattern(["/teapot"])],
                             actions: [.fixedResponse(FixedResponseAction(statusCode: "418", contentType: "text/plain", messageBody: "no"))]),
                ListenerRule(priority: 2, conditions: [.pathPattern(["/empty"])], actions: [.forward([WeightedTargetGroup(name: "empty")])]),
            ],
            extraGroups: [empty]
        ))
        defer { Task { [harness] in await harness.shutdown() } }

        let client = try await harness.connect()
        for _ in 0..<6 { #expect(try await client.exchange(rawRequest("GET", "/home"))?.status == .ok) }
        #expect(try await client.exchange(rawRequest("GET", "/teapot"))?.status == HTTPResponseStatus(statusCode: 418))
        #expect(try await client.exchange(rawRequest("GET", "/empty"))?.status == .serviceUnavailable)
        await client.close()

        let proxy = try #require(harness.proxy)
        var report = try await proxy.metricsReport()
        for _ in 0..<100 where report.activeConnections > 0 {
            try await Task.sleep(for: .milliseconds(10))
            report = try await proxy.metricsReport()
        }
        #expect(report.nodeName == "alb-test-a" && report.availabilityZone == "az-a")
        let web = try #require(report.requests.first { $0.targetGroup == "web" })
        #expect(web.requests == 6 && web.target2xx == 6 && web.target4xx == 0 && web.elb4xx == 0 && web.elb5xx == 0)
        #expect(web.targetResponseTime.count == 6 && web.targetResponseTime.sum > 0)
        let none = try #require(report.requests.first { $0.targetGroup == nil })
        #expect(none.requests == 1 && none.elb4xx == 1 && none.target4xx == 0)
        let emptyGroup = try #require(report.requests.first { $0.targetGroup == "empty" })
        #expect(emptyGroup.requests == 1 && emptyGroup.elb5xx == 1 && emptyGroup.targetResponseTime.count == 0)
        // One client connection and one pooled connection to the target, both closed or idle.
        #expect(report.newConnections == 2)
        #expect(report.processedBytes > 8 * 30)
        #expect(report.rejectedConnections == 0)
    }
}
