import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

import Health
@testable import L7Proxy

/// The one NIO health probe (module Health) against real loopback servers: TCP and HTTP, as
/// NLB and ALB nodes send it.
@Suite struct HealthProbeTests {
    let eventLoop = MultiThreadedEventLoopGroup.singleton.next()

    func http(_ path: String = "/", port: HealthCheckPort = .trafficPort, matcher: String = "200") -> HealthCheckSettings {
        var settings = HealthCheckSettings.defaults(for: .application)
        settings.path = path
        settings.port = port
        settings.matcher = HTTPCodeMatcher(matcher, for: .application)!
        return settings
    }

    @Test func requestLooksLikeAnALBHealthCheck() {
        let head = HealthProbe.request(address: "127.0.0.1", port: 9000, path: "/health?deep=1")
        #expect(head.method == .GET)
        #expect(head.uri == "/health?deep=1")
        #expect(head.headers["Host"] == ["127.0.0.1:9000"])
        #expect(head.headers["User-Agent"] == ["ELB-HealthChecker/2.0"])
        #expect(HealthCheckPort.trafficPort.resolved(trafficPort: 8080) == 8080)
        #expect(HealthCheckPort.port(9000).resolved(trafficPort: 8080) == 9000)
    }

    @Test func judgesTheStatusCode() async throws {
        let server = try await TargetServer(
            configuration: .init(instanceName: "w", availabilityZone: "az-a", host: "127.0.0.1", port: 0)
        ).bind()
        defer { Task { await server.close() } }
        let port = try #require(server.localAddress.port)

        let ok = try await HealthProbe.check(address: "127.0.0.1", trafficPort: port, settings: http("/health"), on: eventLoop).get()
        #expect(ok == .success(statusCode: 200))

        let mismatch = try await HealthProbe.check(address: "127.0.0.1", trafficPort: port, settings: http(matcher: "202,204"),
                                                   on: eventLoop).get()
        #expect(mismatch == .responseCodeMismatch(statusCode: 200))

        let tcp = try await HealthProbe.check(address: "127.0.0.1", trafficPort: port,
                                              settings: .defaults(for: .network), on: eventLoop).get()
        #expect(tcp.isSuccess)
    }

    @Test func refusedAndSilentTargetsFail() async throws {
        let silent = try await SilentServer.start()
        defer { Task { await silent.close() } }
        let closedPort = try await ProxyRoutingTests.unusedPort()

        for settings in [http(), HealthCheckSettings.defaults(for: .network)] {
            let refused = try await HealthProbe.check(address: "127.0.0.1", trafficPort: closedPort, settings: settings,
                                                      timeout: .seconds(2), on: eventLoop).get()
            guard case .failed(let detail) = refused else {
                Issue.record("expected a failure, got \(refused)")
                return
            }
            #expect(detail.lowercased().contains("refused"))
        }
        let timedOut = try await HealthProbe.check(address: "127.0.0.1", trafficPort: silent.port, settings: http(),
                                                   timeout: .milliseconds(200), on: eventLoop).get()
        #expect(timedOut == .timeout)
    }
}

@Suite struct HealthCheckerTests {
    @Test func proxyChecksTargetsAndRoutesAroundUnhealthyOnes() async throws {
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        let deadPort = try await ProxyRoutingTests.unusedPort()
        let healthCheck = HealthCheckConfiguration(
            path: "/health", intervalSeconds: 5, timeoutSeconds: 4, healthyThreshold: 2, unhealthyThreshold: 2
        )
        // One configured second lasts 100 ms: checks run every 500 ms and time out after 400 ms.
        try await harness.startProxy(
            ProxyHarness.configuration(targetPorts: [ports[0], deadPort], healthCheck: healthCheck),
            healthCheckSecond: .milliseconds(100)
        )
        defer { Task { [harness] in await harness.shutdown() } }
        let proxy = try #require(harness.proxy)

        let initial = proxy.targetHealth()
        #expect(initial.count == 2)
        #expect(initial.allSatisfy { $0.state == .initial && $0.reason == .initialHealthChecking })

        var reports: [TargetHealthReport] = []
        for _ in 0..<1000 {
            reports = proxy.targetHealth()
            if reports.allSatisfy({ $0.state != .initial }) { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let good = try #require(reports.first { $0.port == ports[0] })
        let dead = try #require(reports.first { $0.port == deadPort })
        #expect(good.state == .healthy)
        #expect(good.reason == nil)
        #expect(dead.state == .unhealthy)
        #expect(dead.reason == .failedHealthChecks)

        let client = try await harness.connect()
        for _ in 0..<4 {
            #expect(try #require(try await client.exchange(rawRequest())).status == .ok)
        }
        await client.close()
    }
}
