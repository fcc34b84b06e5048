import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

/// Slow start's linear ramp, and sticky selection, on the load-balancing state alone.
@Suite struct SlowStartAndStickinessTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    let one = TargetConfiguration(address: "10.0.1.1", availabilityZone: "az-a")
    let two = TargetConfiguration(address: "10.0.1.2", availabilityZone: "az-a")

    func configuration(_ targets: [TargetConfiguration], slowStart: Int = 100, algorithm: TargetGroupConfiguration.Algorithm = .roundRobin,
                       healthChecks: Bool = false) -> ProxyConfiguration {
        ProxyConfiguration(
            nodeName: "alb-a", availabilityZone: "az-a",
            listeners: [ListenerConfiguration(port: 80, defaultActions: [.forward([WeightedTargetGroup(name: "web")])])],
            targetGroups: [TargetGroupConfiguration(name: "web", port: 8080, algorithm: algorithm,
                                                    healthCheck: HealthCheckConfiguration(enabled: healthChecks),
                                                    targets: targets, slowStartSeconds: slowStart)])
    }

    /// How many of `count` requests the second target gets at `now`.
    func shareOfTwo(_ state: inout LoadBalancingState, at now: NIODeadline, count: Int = 1000) -> Int {
        var picked = 0
        for _ in 0..<count {
            guard case .target(let target) = state.select(group: "web", now: now) else { continue }
            if target.address == "10.0.1.2" { picked += 1 }
            state.finish(group: "web", target: target.key)
        }
        return picked
    }

    @Test func aNewTargetRampsUpLinearly() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration([one]), now: start)
        state.apply(configuration([one, two]), now: start + .seconds(10))
        // 25 s into 100 s: weight 0.25 against 1, a fifth of the requests (round robin is exact).
        #expect(shareOfTwo(&state, at: start + .seconds(35)) == 200)
        // 75 s in: 0.75 against 1, three sevenths.
        #expect((427...430).contains(shareOfTwo(&state, at: start + .seconds(85))))
        // After the ramp: an equal share.
        #expect(shareOfTwo(&state, at: start + .seconds(200)) == 500)
    }

    @Test func weightedRandomRampsToo() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration([one], algorithm: .weightedRandom), now: start)
        state.apply(configuration([one, two], algorithm: .weightedRandom), now: start)
        // Half way: weight 0.5 against 1, a third of 6000 draws (four standard deviations: 146).
        let share = shareOfTwo(&state, at: start + .seconds(50), count: 6000)
        #expect((1854...2146).contains(share), "\(share)")
    }

    @Test func targetsOfTheFirstRegistrationAndLeastOutstandingRequestsDoNotRamp() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration([one, two]), now: start)
        #expect(shareOfTwo(&state, at: start + .seconds(1)) == 500)
        var least = LoadBalancingState(nodeZone: "az-a")
        least.apply(configuration([one], algorithm: .leastOutstandingRequests), now: start)
        least.apply(configuration([one, two], algorithm: .leastOutstandingRequests), now: start)
        #expect(least.health.entries["web"]?.values.allSatisfy { $0.slowStartBegan == nil } == true)
    }

    @Test func slowStartRestartsWhenATargetIsHealthyAgain() {
        var state = LoadBalancingState(nodeZone: "az-a")
        let twoKey = TargetEndpoint.Key(address: "10.0.1.2", port: 8080)
        state.apply(configuration([one, two], healthChecks: true), now: start)
        let oneKey = TargetEndpoint.Key(address: "10.0.1.1", port: 8080)
        for _ in 0..<5 { state.record(.success(statusCode: 200), group: "web", target: oneKey, now: start) }
        for _ in 0..<5 { state.record(.success(statusCode: 200), group: "web", target: twoKey, now: start + .seconds(200)) }
        #expect(state.health.entries["web"]?[twoKey]?.slowStartBegan == start + .seconds(200))
        for _ in 0..<2 { state.record(.timeout, group: "web", target: twoKey, now: start + .seconds(400)) }
        #expect(state.health.entries["web"]?[twoKey]?.slowStartBegan == nil)
        for _ in 0..<5 { state.record(.success(statusCode: 200), group: "web", target: twoKey, now: start + .seconds(500)) }
        #expect(state.health.entries["web"]?[twoKey]?.slowStartBegan == start + .seconds(500))
        #expect(shareOfTwo(&state, at: start + .seconds(525)) == 200)
    }

    @Test func aStickyTargetIsKeptWhileItIsUsableAndReplacedWhenNot() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration([one, two], slowStart: 0, healthChecks: true), now: start)
        let oneKey = TargetEndpoint.Key(address: "10.0.1.1", port: 8080)
        let twoKey = TargetEndpoint.Key(address: "10.0.1.2", port: 8080)
        for key in [oneKey, twoKey] { for _ in 0..<5 { state.record(.success(statusCode: 200), group: "web", target: key) } }
        for _ in 0..<4 {
            #expect(state.select(group: "web", preferring: "10.0.1.2:8080") == .target(TargetEndpoint(key: twoKey, availabilityZone: "az-a")))
        }
        for _ in 0..<2 { state.record(.timeout, group: "web", target: twoKey) }
        #expect(state.select(group: "web", preferring: "10.0.1.2:8080") == .target(TargetEndpoint(key: oneKey, availabilityZone: "az-a")))
        state.apply(configuration([one], slowStart: 0, healthChecks: true), now: start)
        #expect(state.select(group: "web", preferring: "10.0.1.2:8080") == .target(TargetEndpoint(key: oneKey, availabilityZone: "az-a")))
    }
}

/// The stickiness cookies the node reads and sets.
@Suite struct StickySessionTests {
    let now = 1_800_000_000
    let endpoint = TargetEndpoint(key: .init(address: "10.0.1.2", port: 8080), availabilityZone: "az-a")

    func headers(_ pairs: (String, String)...) -> HTTPHeaders { HTTPHeaders(pairs) }

    /// The `Set-Cookie` lines a response gets, as `name=value` without attributes.
    func cookies(_ session: StickySession?, response: HTTPHeaders = HTTPHeaders(), now: Int) -> [String: String] {
        var out = HTTPHeaders()
        session?.addCookies(to: &out, endpoint: endpoint, response: response, now: now)
        var result: [String: String] = [:]
        for line in out[canonicalForm: "Set-Cookie"] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            result[String(pair[0])] = String(pair[1])
        }
        return result
    }

    @Test func lbCookieNamesTheTargetUntilItsDurationEnds() throws {
        let lb = TargetStickiness(type: .lbCookie, durationSeconds: 60)
        #expect(StickySession(group: "web", target: nil, groupSeconds: nil, request: headers(), now: now) == nil)
        let first = try #require(StickySession(group: "web", target: lb, groupSeconds: nil, request: headers(), now: now))
        #expect(first.requestedTarget == nil)
        let set = cookies(first, now: now)
        let value = try #require(set["AWSALB"])
        #expect(set["AWSALBCORS"] == value)
        let back = StickySession(group: "web", target: lb, groupSeconds: nil,
                                 request: headers(("Cookie", "a=b; AWSALB=\(value); c=d")), now: now + 59)
        #expect(back?.requestedTarget == "10.0.1.2:8080")
        #expect(StickySession(group: "web", target: lb, groupSeconds: nil, request: headers(("Cookie", "AWSALB=\(value)")),
                              now: now + 60)?.requestedTarget == nil)
        #expect(StickySession(group: "api", target: lb, groupSeconds: nil, request: headers(("Cookie", "AWSALB=\(value)")),
                              now: now)?.requestedTarget == nil)
        #expect(StickySession(group: "web", target: lb, groupSeconds: nil, request: headers(("Cookie", "AWSALB=garbage")),
                              now: now)?.requestedTarget == nil)
    }

    @Test func setCookieLinesLookLikeAWSs() {
        var out = HTTPHeaders()
        StickySession(group: "web", target: TargetStickiness(type: .lbCookie), groupSeconds: nil, request: headers(), now: 0)?
            .addCookies(to: &out, endpoint: endpoint, response: HTTPHeaders(), now: 0)
        let lines = out[canonicalForm: "Set-Cookie"]
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix("; Expires=Thu, 08 Jan 1970 00:00:00 GMT; Path=/"))
        #expect(lines[1].hasPrefix("AWSALBCORS="))
        #expect(lines[1].hasSuffix("; Expires=Thu, 08 Jan 1970 00:00:00 GMT; Path=/; SameSite=None; Secure"))
    }

    @Test func appCookieSticksOnlyOnceTheApplicationSetItsCookie() throws {
        let app = TargetStickiness(type: .appCookie, durationSeconds: 60, cookieName: "SESSION")
        let first = try #require(StickySession(group: "web", target: app, groupSeconds: nil, request: headers(), now: now))
        #expect(cookies(first, now: now).isEmpty)
        let set = cookies(first, response: headers(("Set-Cookie", "SESSION=abc; Path=/")), now: now)
        let value = try #require(set["AWSALBAPP-0"])
        #expect(set["AWSALBAPP-1"] == "_remove_" && set["AWSALBAPP-3"] == "_remove_")
        // Both cookies must come back.
        #expect(StickySession(group: "web", target: app, groupSeconds: nil, request: headers(("Cookie", "AWSALBAPP-0=\(value)")),
                              now: now)?.requestedTarget == nil)
        let back = try #require(StickySession(group: "web", target: app, groupSeconds: nil,
                                              request: headers(("Cookie", "SESSION=abc; AWSALBAPP-0=\(value)")), now: now + 30))
        #expect(back.requestedTarget == "10.0.1.2:8080")
        // A sticky request's response renews the node's cookie even when the application sets nothing.
        #expect(cookies(back, now: now + 30)["AWSALBAPP-0"] != nil)
    }

    @Test func targetGroupStickinessKeepsTheGroupWhileItHasWeight() throws {
        var out = HTTPHeaders()
        StickySession(group: "blue", target: nil, groupSeconds: 30, request: headers(), now: now)?
            .addCookies(to: &out, endpoint: endpoint, response: HTTPHeaders(), now: now)
        let value = try #require(cookies(StickySession(group: "blue", target: nil, groupSeconds: 30, request: headers(), now: now),
                                         now: now)["AWSALBTG"])
        #expect(out[canonicalForm: "Set-Cookie"].contains { $0.hasPrefix("AWSALBTGCORS=") })
        let request = headers(("Cookie", "AWSALBTG=\(value)"))
        let groups = [WeightedTargetGroup(name: "blue", weight: 1), WeightedTargetGroup(name: "green", weight: 9)]
        #expect(StickySession.stuckGroup(in: request, among: groups, now: now + 29) == "blue")
        #expect(StickySession.stuckGroup(in: request, among: groups, now: now + 30) == nil)
        #expect(StickySession.stuckGroup(in: request, among: [WeightedTargetGroup(name: "blue", weight: 0)], now: now) == nil)
    }
}
