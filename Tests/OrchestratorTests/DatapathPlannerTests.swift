import Foundation
@testable import Kernel
import Testing
@testable import Orchestrator

/// The datapath part of the one plan, on hand-built snapshots: every owned nftables table,
/// IPVS table and sysctl missing, extra or different gives the step that repairs exactly it,
/// and switching an NLB's datapath removes the old one's objects.
@Suite struct DatapathPlannerTests {
    let deployment = Deployment(directory: StateDirectory(path: "/tmp/lbnet-planner-test"), prefix: "lbnet", executable: "/usr/bin/lbnet")

    func model(_ yaml: String = StateFileLoader.defaultTopologyYAML) throws -> DeploymentModel {
        try DeploymentModel.resolve(yaml, source: "test.yaml", record: ElasticIPRecord())
    }

    func fabric(ipvs: Bool, _ yaml: String = StateFileLoader.defaultTopologyYAML) throws -> FabricSpec {
        try deployment.fabric(for: model(yaml), draining: [], health: HealthRecord(), ipvsAvailable: ipvs)
    }

    func plan(_ desired: FabricSpec, _ observed: KernelSnapshot) throws -> [Change] {
        try Planner.plan(desired: desired, observed: observed, owned: Set(desired.namespaces.map(\.name)))
    }

    let node = "lbnet-web-nlb-local-1a"

    @Test func upToDateKernelGetsNoChangeOnEitherDatapath() throws {
        for ipvs in [false, true] {
            let desired = try fabric(ipvs: ipvs)
            #expect(try plan(desired, SnapshotBuilder.matchingEverything(desired)).isEmpty)
        }
    }

    @Test func emptyKernelGetsEveryTableAndConfigInPhaseOrder() throws {
        let desired = try fabric(ipvs: false)
        let changes = try plan(desired, KernelSnapshot())
        #expect(changes.map(\.phase) == changes.map(\.phase).sorted())
        let tables = changes.compactMap { if case .nftables(let step) = $0 { "\(step.table) in \(step.namespace)" } else { nil } }
        #expect(tables.contains("lbnet_nlb in \(node)"))
        #expect(tables.contains("lbnet_gateway in lbnet-vpc.main"))
        #expect(changes.contains { if case .writeProxyConfiguration(let write) = $0 { write.node == "web-alb-local-1a" } else { false } })
        #expect(!changes.contains { if case .ipvs = $0 { true } else { false } })
    }

    @Test func aDeletedTableIsCreatedAgain() throws {
        let desired = try fabric(ipvs: false)
        var observed = try SnapshotBuilder.matchingEverything(desired)
        observed.namespaces["lbnet-vpc.main"]?.nftables[GatewayNATTable.name] = nil
        let changes = try plan(desired, observed)
        #expect(changes.count == 1)
        guard case .nftables(let step) = changes.first else { Issue.record("expected an nftables step: \(changes)"); return }
        #expect(step.table == GatewayNATTable.name && !step.existed && step.desired != nil)
        #expect(step.description.hasPrefix("+ nftables table ip lbnet_gateway: elastic IP NAT of VPC main (in lbnet-vpc.main)"))
    }

    @Test func aMissingMapElementIsAddedAlone() throws {
        let desired = try fabric(ipvs: false)
        var observed = try SnapshotBuilder.matchingEverything(desired)
        let table = try #require(observed.namespaces[node]?.nftables[NLBNodeTable.name])
        let map = table.maps[0]
        let trimmed = NFTMapState(definition: map.definition, flags: map.flags, handle: map.handle,
                                  elements: map.elements.filter { $0.key != map.elements.keys.sorted(by: { $0.lexicographicallyPrecedes($1) })[0] })
        observed.namespaces[node]?.nftables[NLBNodeTable.name] = NFTTableState(
            name: table.name, handle: table.handle, chains: table.chains, maps: [trimmed] + table.maps.dropFirst(), rules: table.rules)
        let changes = try plan(desired, observed)
        guard case .nftables(let step) = changes.first, changes.count == 1 else { Issue.record("expected one step: \(changes)"); return }
        #expect(step.batch.changesOnlyElements)
        #expect(step.generation == 7)
    }

    @Test func aForeignTableOfLbnetsNamesIsRemoved() throws {
        let desired = try fabric(ipvs: false)
        var observed = try SnapshotBuilder.matchingEverything(desired)
        let stray = try #require(observed.namespaces["lbnet-vpc.main"]?.nftables[GatewayNATTable.name])
        observed.namespaces["lbnet-web-a1"]?.nftables[GatewayNATTable.name] = stray
        let changes = try plan(desired, observed)
        #expect(changes.map(\.description) == ["- nftables table ip lbnet_gateway (in lbnet-web-a1)"])
    }

    @Test func aChangedSysctlIsWrittenAgain() throws {
        let desired = try fabric(ipvs: true)
        var observed = try SnapshotBuilder.matchingEverything(desired)
        observed.namespaces[node]?.sysctls["net.ipv4.vs.conntrack"] = "0"
        #expect(try plan(desired, observed) == [.setSysctl(namespace: node, key: "net.ipv4.vs.conntrack", value: "1")])
    }

    @Test func theTCPIdleTimeoutIsEachNodesConntrackOrIPVSTimeout() throws {
        let idle = StateFileLoader.defaultTopologyYAML.replacingOccurrences(
            of: "      - protocol: TCP\n        port: 80\n", with: "      - protocol: TCP\n        port: 80\n        attributes: {tcp.idle_timeout.seconds: \"60\"}\n")
        #expect(idle != StateFileLoader.defaultTopologyYAML)
        let nftables = try fabric(ipvs: false, idle)
        #expect(nftables.namespace(node)?.sysctls["net.netfilter.nf_conntrack_tcp_timeout_established"] == "60")
        #expect(try fabric(ipvs: false).namespace(node)?.sysctls["net.netfilter.nf_conntrack_tcp_timeout_established"] == "350")
        let ipvs = try fabric(ipvs: true, idle)
        var observed = try SnapshotBuilder.matchingEverything(ipvs)
        observed.namespaces[node]?.ipvsTCPTimeout = 900
        let changes = try plan(ipvs, observed)
        guard case .ipvs(let step) = changes.first, changes.count == 1 else { Issue.record("expected one IPVS step: \(changes)"); return }
        #expect(step.changes == [.setTCPTimeout(60)])
    }

    @Test func aDeletedIPVSDestinationIsAddedAgain() throws {
        let desired = try fabric(ipvs: true)
        var observed = try SnapshotBuilder.matchingEverything(desired)
        let table = try #require(observed.namespaces[node]?.ipvs)
        let service = table.services[0]
        var destinations = table.destinations
        destinations[service] = Array(destinations[service]!.dropFirst())
        observed.namespaces[node]?.ipvs = IPVSTable(destinations)
        let changes = try plan(desired, observed)
        guard case .ipvs(let step) = changes.first, changes.count == 1 else { Issue.record("expected one IPVS step: \(changes)"); return }
        #expect(step.changes.count == 1)
        #expect(step.description.contains("adding destination"))
    }

    @Test func switchingNFTablesToIPVSRemovesTheNodeTable() throws {
        let before = try fabric(ipvs: false)
        var observed = try SnapshotBuilder.matchingEverything(before)
        for name in observed.namespaces.keys { observed.namespaces[name]?.ipvs = IPVSTable() }
        let after = try fabric(ipvs: true)
        let changes = try plan(after, observed)
        let lines = changes.map(\.description).filter { $0.contains("(in \(node))") }
        #expect(lines.contains("- nftables table ip lbnet_nlb (in \(node))"))
        #expect(lines.contains { $0.hasPrefix("+ nftables table ip lbnet_ipvs_snat: source NAT of IPVS node web-nlb-local-1a") })
        #expect(lines.contains { $0.hasPrefix("~ ipvs services of web-nlb-local-1a") })
        #expect(lines.contains { $0.hasPrefix("~ sysctl net.ipv4.vs.conntrack=1") })
    }

    @Test func switchingIPVSToNFTablesRemovesTheServicesAndSourceNAT() throws {
        let before = try fabric(ipvs: true)
        let observed = try SnapshotBuilder.matchingEverything(before)
        let yaml = StateFileLoader.defaultTopologyYAML.replacingOccurrences(of: "type: network", with: "type: network\n    datapath: nftables")
        let after = try fabric(ipvs: true, yaml)
        #expect(after.nodeDatapaths.allSatisfy { $0.datapath == .nftables })
        let lines = try plan(after, observed).map(\.description).filter { $0.contains("(in \(node))") }
        #expect(lines.contains("- nftables table ip lbnet_ipvs_snat (in \(node))"))
        #expect(lines.contains { $0.hasPrefix("+ nftables table ip lbnet_nlb: nftables datapath of web-nlb-local-1a") })
        #expect(lines.contains { $0.hasPrefix("~ ipvs services of web-nlb-local-1a") && $0.contains("deleting service") })
    }

    /// In one clear line naming the load balancer and the module (a container must have it
    /// loaded by its host); `auto` falls back to nftables instead.
    @Test func ipvsAskedForOnAKernelWithoutItIsRefused() throws {
        let yaml = StateFileLoader.defaultTopologyYAML.replacingOccurrences(of: "type: network", with: "type: network\n    datapath: ipvs")
        let error = #expect(throws: DeploymentError.self) { try fabric(ipvs: false, yaml) }
        let message = try #require(error).description
        #expect(!message.contains("\n") && message.contains("'web-nlb' asks for datapath: ipvs") && message.contains("modprobe ip_vs"))
        #expect(try fabric(ipvs: false).nodeDatapaths.allSatisfy { $0.datapath == .nftables })
    }

    @Test func aKilledProcessIsStartedAgain() throws {
        let desired = try fabric(ipvs: false)
        var observed = try SnapshotBuilder.matchingEverything(desired)
        observed.processes["web-alb-local-1b"] = nil
        #expect(try plan(desired, observed).map(\.description).map { $0.prefix(28) } == ["+ process web-alb-local-1b ("])
    }
}
