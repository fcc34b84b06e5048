import Health
import Kernel
import Testing
@testable import Orchestrator

@Suite struct ElasticIPAllocatorTests {
    let pool = IPv4Network("198.51.100.0/24")!

    func ids() -> () -> String {
        var next = 0
        return {
            next += 1
            return "eipalloc-\(next)"
        }
    }

    @Test func allocatesFromThePoolInOrderAndKeepsAllocations() throws {
        let first = try ElasticIPAllocator.allocate([.init(name: "a"), .init(name: "b")], pool: pool, record: .init(), newID: ids())
        #expect(first.allocations["a"]?.address == IPv4Address(198, 51, 100, 10))
        #expect(first.allocations["b"]?.address == IPv4Address(198, 51, 100, 11))
        #expect(first.allocations["a"]?.allocationId == "eipalloc-1")
        // Asking again, in another order, changes nothing: allocations are stable.
        let again = try ElasticIPAllocator.allocate([.init(name: "b"), .init(name: "a")], pool: pool, record: first, newID: ids())
        #expect(again == first)
        // An allocation no longer asked for is kept (like AWS's, until released).
        let fewer = try ElasticIPAllocator.allocate([.init(name: "b")], pool: pool, record: first, newID: ids())
        #expect(fewer.allocations["a"] == first.allocations["a"])
    }

    @Test func fixedAddressWinsAndMovesAnAutomaticOne() throws {
        let first = try ElasticIPAllocator.allocate([.init(name: "a")], pool: pool, record: .init(), newID: ids())
        let fixed = try ElasticIPAllocator.allocate([.init(name: "a"), .init(name: "b", address: IPv4Address(198, 51, 100, 10))],
                                                    pool: pool, record: first, newID: ids())
        #expect(fixed.allocations["b"]?.address == IPv4Address(198, 51, 100, 10))
        #expect(fixed.allocations["a"]?.address == IPv4Address(198, 51, 100, 11))
    }

    @Test func exhaustedPoolIsAnError() throws {
        let tiny = IPv4Network("198.51.100.0/28")!
        let names = (0..<6).map { ElasticIPAllocator.Request(name: "e\($0)") }
        #expect(throws: ElasticIPError.self) { try ElasticIPAllocator.allocate(names, pool: tiny, record: .init(), newID: ids()) }
    }
}

@Suite struct NetworkLoadBalancerPlacementTests {
    func nodes(crossZone: String? = nil, groupCrossZone: String? = nil, scheme: String = "internet-facing") throws -> [NetworkLoadBalancerNode] {
        let yaml = NLBFixture.yaml(crossZone: crossZone, groupCrossZone: groupCrossZone, scheme: scheme)
        return try DeploymentModel.resolve(yaml, source: "test.yaml", record: ElasticIPRecord()).networkLoadBalancerNodes
    }

    @Test func oneNodePerSubnetAtTheTopOfTheSubnet() throws {
        let nodes = try nodes()
        #expect(nodes.map(\.name) == ["nlb-local-1a", "nlb-local-1b"])
        #expect(nodes.map(\.host.address.description) == ["10.0.1.254/24", "10.0.2.254/24"])
        #expect(nodes.map { $0.elasticIP?.address.description } == ["198.51.100.10", "198.51.100.11"])
    }

    @Test func crossZoneOffKeepsEachNodeInItsZone() throws {
        let nodes = try nodes()
        #expect(nodes[0].listeners[0].backends.map(\.targetId) == ["web-a1", "web-a2"])
        #expect(nodes[1].listeners[0].backends.map(\.targetId) == ["web-b1"])
        #expect(nodes.allSatisfy { !$0.listeners[0].crossZone })
    }

    @Test func crossZoneOnUsesEveryZone() throws {
        let nodes = try nodes(crossZone: "true")
        #expect(nodes.allSatisfy { $0.listeners[0].backends.map(\.targetId) == ["web-a1", "web-a2", "web-b1"] })
    }

    @Test(arguments: [("true", "false", false), ("false", "true", true), ("true", "use_load_balancer_configuration", true)])
    func targetGroupAttributeWins(lb: String, group: String, expected: Bool) throws {
        #expect(try nodes(crossZone: lb, groupCrossZone: group).allSatisfy { $0.listeners[0].crossZone == expected })
    }

    @Test func internalNodesGetNoElasticIP() throws {
        #expect(try nodes(scheme: "internal").allSatisfy { $0.elasticIP == nil })
    }

    @Test func nodesAreHostsOfTheTopology() throws {
        let model = try DeploymentModel.resolve(NLBFixture.yaml(), source: "test.yaml", record: ElasticIPRecord())
        #expect(model.topology.host(named: "nlb-local-1a")?.kind == .loadBalancerNode(loadBalancer: "nlb"))
    }
}

@Suite struct DrainTrackerTests {
    func model(_ targets: [String], delay: Int = 30) throws -> DeploymentModel {
        try DeploymentModel.resolve(NLBFixture.yaml(targets: targets, delay: delay), source: "t.yaml", record: ElasticIPRecord())
    }

    @Test func removedTargetDrainsForTheGroupsDelay() throws {
        let before = try model(["web-a1", "web-a2", "web-b1"])
        let after = try model(["web-a1", "web-b1"])
        let draining = DrainTracker.update(previous: before, next: after, draining: [], now: 1000)
        #expect(draining.map(\.targetId) == ["web-a2"])
        #expect(draining.first?.deadline == 1030)
        #expect(draining.first?.node == "nlb-local-1a")

        let spec = NodeDatapathSpec(node: after.networkLoadBalancerNodes[0], namespace: "ns", datapath: .nftables, draining: draining)
        #expect(spec.listeners[0].backends.map(\.weight) == [1, 0])
    }

    @Test func drainEndsAtItsDeadlineOrWhenTheTargetReturns() throws {
        let before = try model(["web-a1", "web-a2", "web-b1"])
        let after = try model(["web-a1", "web-b1"])
        let draining = DrainTracker.update(previous: before, next: after, draining: [], now: 1000)
        #expect(DrainTracker.update(previous: after, next: after, draining: draining, now: 1029).count == 1)
        #expect(DrainTracker.update(previous: after, next: after, draining: draining, now: 1030).isEmpty)
        #expect(DrainTracker.update(previous: after, next: before, draining: draining, now: 1001).isEmpty)
    }
}

/// `target_health_state.unhealthy.connection_termination.enabled`: an unhealthy target's flows
/// are cut (on IPVS it leaves the service), unless the group turns it off or the node fails open.
@Suite struct UnhealthyFlowTerminationTests {
    func health(_ states: [String: Bool]) -> HealthRecord {
        var node: [String: TargetHealth] = [:]
        for (key, healthy) in states {
            var health = TargetHealth.registered()
            for _ in 0..<2 { health.record(healthy ? .success(statusCode: nil) : .timeout, thresholds: .init(healthy: 2, unhealthy: 2)) }
            node[key] = health
        }
        return HealthRecord(nodes: ["nlb-local-1a": node])
    }

    func spec(_ yaml: String, _ states: [String: Bool], datapath: StateFile.Datapath = .ipvs) throws -> NodeDatapathSpec {
        let model = try DeploymentModel.resolve(yaml, source: "t.yaml", record: ElasticIPRecord())
        return NodeDatapathSpec(node: model.networkLoadBalancerNodes[0], namespace: "ns", datapath: datapath, health: health(states))
    }

    @Test func anUnhealthyTargetsFlowsAreCutByDefault() throws {
        let spec = try spec(NLBFixture.yaml(), ["10.0.1.11:8080": true, "10.0.1.12:8080": false])
        #expect(spec.listeners[0].backends.map(\.flowsCut) == [false, true])
        #expect(spec.listeners[0].backends.map(\.weight) == [1, 0])
        let destinations = IPVSNodeDatapath.table(spec).destinations.values.first?.map { "\($0.address):\($0.port)" }
        #expect(destinations == ["10.0.1.11:8080"])
    }

    @Test func theGroupMayKeepThemAndFailingOpenKeepsThem() throws {
        let keep = NLBFixture.yaml().replacingOccurrences(
            of: "attributes: {deregistration_delay", with: #"attributes: {target_health_state.unhealthy.connection_termination.enabled: "false", deregistration_delay"#)
        #expect(keep != NLBFixture.yaml())
        #expect(try spec(keep, ["10.0.1.11:8080": true, "10.0.1.12:8080": false]).listeners[0].backends.map(\.flowsCut) == [false, false])
        #expect(try spec(NLBFixture.yaml(), ["10.0.1.11:8080": false, "10.0.1.12:8080": false]).listeners[0].backends
            .map(\.flowsCut) == [false, false])
    }
}

/// A VPC with two AZs (two instances in a, one in b) and an NLB over both.
enum NLBFixture {
    static func yaml(crossZone: String? = nil, groupCrossZone: String? = nil, scheme: String = "internet-facing",
                     targets: [String] = ["web-a1", "web-a2", "web-b1"], delay: Int = 300) -> String {
        var groupAttributes = ["deregistration_delay.timeout_seconds: \"\(delay)\""]
        if let groupCrossZone { groupAttributes.append("load_balancing.cross_zone.enabled: \(groupCrossZone)") }
        return """
            vpcs:
              - name: main
                cidr: 10.0.0.0/16
                subnets:
                  - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
                  - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
            instances:
              - {name: web-a1, subnet: subnet-1a}
              - {name: web-a2, subnet: subnet-1a}
              - {name: web-b1, subnet: subnet-1b}
            loadBalancers:
              - name: nlb
                type: network
                scheme: \(scheme)
                subnets: [subnet-1a, subnet-1b]
                attributes: {\(crossZone.map { "load_balancing.cross_zone.enabled: \"\($0)\"" } ?? "")}
                listeners:
                  - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}
            targetGroups:
              - name: web
                protocol: TCP
                port: 8080
                vpc: main
                attributes: {\(groupAttributes.joined(separator: ", "))}
                targets: [\(targets.map { "{id: \($0)}" }.joined(separator: ", "))]

            """
    }
}
