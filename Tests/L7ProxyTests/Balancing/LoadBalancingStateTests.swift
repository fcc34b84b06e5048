import NIOCore
import Testing

@testable import L7Proxy

@Suite struct LoadBalancingStateTests {
    let now = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    func configuration(targets: [TargetConfiguration], algorithm: TargetGroupConfiguration.Algorithm = .leastOutstandingRequests,
                       healthChecks: Bool = true) -> ProxyConfiguration {
        ProxyConfiguration(
            nodeName: "alb-a", availabilityZone: "az-a",
            listeners: [ListenerConfiguration(port: 80, defaultActions: [.forward([WeightedTargetGroup(name: "web")])])],
            targetGroups: [TargetGroupConfiguration(name: "web", port: 8080, algorithm: algorithm,
                                                    healthCheck: HealthCheckConfiguration(enabled: healthChecks),
                                                    deregistrationDelaySeconds: 30, targets: targets)]
        )
    }

    let one = TargetConfiguration(address: "10.0.1.1", availabilityZone: "az-a")
    let two = TargetConfiguration(address: "10.0.1.2", availabilityZone: "az-b")
    var oneKey: TargetEndpoint.Key { .init(address: "10.0.1.1", port: 8080) }
    var twoKey: TargetEndpoint.Key { .init(address: "10.0.1.2", port: 8080) }

    @Test func countsOutstandingRequests() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration(targets: [one, two]), now: now)
        // Both targets are `initial`: the group fails open to both.
        let first = state.select(group: "web")
        let second = state.select(group: "web")
        guard case .target(let a) = first, case .target(let b) = second else {
            Issue.record("expected targets, got \(first) \(second)")
            return
        }
        #expect(a.key != b.key)
        #expect(state.outstandingRequests(group: "web", target: a.key) == 1)
        state.finish(group: "web", target: a.key)
        #expect(state.outstandingRequests(group: "web", target: a.key) == 0)
        #expect(state.select(group: "web") == .target(a))
    }

    @Test func roundRobinRotatesAndCountsNothing() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration(targets: [one, two], algorithm: .roundRobin), now: now)
        let picks = (0..<5).map { _ in state.select(group: "web") }
        #expect(picks[0] != picks[1] && picks[0] == picks[2] && picks[1] == picks[3] && picks[0] == picks[4])
        guard case .target(let a) = picks[0] else {
            Issue.record("expected a target, got \(picks[0])")
            return
        }
        // Only least outstanding requests reads the counts, so round robin keeps none.
        #expect(state.outstandingRequests(group: "web", target: a.key) == 0)
    }

    @Test func healthDecidesWhoGetsTraffic() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration(targets: [one, two], algorithm: .roundRobin), now: now)
        for _ in 0..<5 { state.record(.success(statusCode: 200), group: "web", target: twoKey) }
        #expect(state.health.health(group: "web", target: twoKey).state == .healthy)
        for _ in 0..<4 {
            #expect(state.select(group: "web") == .target(TargetEndpoint(key: twoKey, availabilityZone: "az-b")))
        }
    }

    @Test func aHealthChangeReachesTheSelectionsAfterIt() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration(targets: [one, two], algorithm: .roundRobin), now: now)
        // Both `initial`: the group fails open to both; the candidates are kept after this.
        var chosen = Set<TargetEndpoint.Key>()
        for _ in 0..<4 {
            if case .target(let target) = state.select(group: "web") { chosen.insert(target.key) }
        }
        #expect(chosen == [oneKey, twoKey])
        for _ in 0..<5 { state.record(.success(statusCode: 200), group: "web", target: twoKey) }
        for _ in 0..<4 {
            #expect(state.select(group: "web") == .target(TargetEndpoint(key: twoKey, availabilityZone: "az-b")))
        }
    }

    @Test func unknownGroupOrNoTargetsIs503() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration(targets: []), now: now)
        #expect(state.select(group: "web") == .noRegisteredTargets)
        #expect(state.select(group: "other") == .noRegisteredTargets)
    }

    @Test func removedTargetsDrainThenDisappear() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration(targets: [one, two]), now: now)
        state.apply(configuration(targets: [two]), now: now)
        let draining = state.health.health(group: "web", target: oneKey)
        #expect(draining.state == .draining)
        #expect(draining.reason == .deregistrationInProgress)
        for _ in 0..<3 { #expect(state.select(group: "web") == .target(TargetEndpoint(key: twoKey, availabilityZone: "az-b"))) }

        state.expireDraining(now: now + .seconds(29))
        #expect(state.health.health(group: "web", target: oneKey).state == .draining)
        state.expireDraining(now: now + .seconds(30))
        let gone = state.health.health(group: "web", target: oneKey)
        #expect(gone.state == .unused)
        #expect(gone.reason == .notRegistered)
    }

    @Test func reRegisteringADrainingTargetStartsOver() {
        var state = LoadBalancingState(nodeZone: "az-a")
        var drainingOne = one
        drainingOne.state = .draining
        state.apply(configuration(targets: [drainingOne]), now: now)
        #expect(state.health.health(group: "web", target: oneKey).state == .draining)
        #expect(state.select(group: "web") == .noRegisteredTargets)
        state.apply(configuration(targets: [one]), now: now)
        #expect(state.health.health(group: "web", target: oneKey).state == .initial)
    }

    @Test func healthKeptAcrossReloadAndDisabledChecksAreRoutable() {
        var state = LoadBalancingState(nodeZone: "az-a")
        state.apply(configuration(targets: [one]), now: now)
        for _ in 0..<5 { state.record(.success(statusCode: 200), group: "web", target: oneKey) }
        state.apply(configuration(targets: [one, two]), now: now)
        #expect(state.health.health(group: "web", target: oneKey).state == .healthy)
        #expect(state.health.health(group: "web", target: twoKey).state == .initial)

        state.apply(configuration(targets: [one], healthChecks: false), now: now)
        let unchecked = state.health.health(group: "web", target: oneKey)
        #expect(unchecked.state == .unavailable)
        #expect(unchecked.isRoutable)
        #expect(state.health.checkedTargets.isEmpty)
    }
}
