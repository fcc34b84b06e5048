@testable import Kernel
import Testing
@testable import Orchestrator

/// Client IP preservation in the one plan: the router's return path to each NLB node (its own
/// port, FIB rule, table and marking rules), the node's masquerade rules per listener, and
/// drift in any of them repaired by exactly the step that makes it.
@Suite struct ReturnPathTests {
    let deployment = Deployment(directory: StateDirectory(path: "/tmp/lbnet-return-path-test"), prefix: "lbnet", executable: "/usr/bin/lbnet")
    let router = "lbnet-vpc.main"
    let nodeA = ReturnPath.Node(name: "web-nlb-local-1a", port: Naming.hostPort(host: "web-nlb-local-1a"), address: IPv4Address(10, 0, 1, 254))

    func fabric(ipvs: Bool = false, _ yaml: String = StateFileLoader.defaultTopologyYAML) throws -> FabricSpec {
        let model = try DeploymentModel.resolve(yaml, source: "test.yaml", record: ElasticIPRecord())
        return try deployment.fabric(for: model, draining: [], health: HealthRecord(), ipvsAvailable: ipvs)
    }

    func plan(_ desired: FabricSpec, _ observed: KernelSnapshot) throws -> [Change] {
        try Planner.plan(desired: desired, observed: observed, owned: Set(desired.namespaces.map(\.name)))
    }

    @Test func aNodesMarkAndTableComeFromItsAddress() {
        #expect(nodeA.mark == 0x101fe)
        #expect(ReturnPath.rule(nodeA) == RoutingRule(priority: 1000, mark: 0x101fe, table: 0x101fe))
        #expect(ReturnPath.route(nodeA).description == "default via 10.0.1.254 dev \(nodeA.port) onlink table 66046")
    }

    @Test func theRouterHasAReturnPathToEachNode() throws {
        let desired = try fabric()
        let routerSpec = try #require(desired.namespace(router))
        let port = try #require(routerSpec.link(nodeA.port))
        #expect(port.master == nil, "an NLB node's router port is a routed link, not a bridge port")
        #expect(routerSpec.link(Naming.hostPort(host: "web-a1"))?.master == "br-subnet-1a")
        #expect(routerSpec.routes.contains(.hostRoute(nodeA.address, device: nodeA.port)))
        #expect(routerSpec.routes.contains(ReturnPath.route(nodeA)))
        #expect(routerSpec.rules.map(\.mark).sorted() == [0x101fe, 0x102fe])
        #expect(routerSpec.sysctls["net.ipv4.conf.all.send_redirects"] == "0")

        let table = try #require(desired.desiredNFTables.first { $0.namespace == router && $0.table == ReturnPath.tableName })
        guard case .returnPath(let spec) = table.content else { Issue.record("\(table.content)"); return }
        #expect(spec.rules.map(\.purpose) == ["origin web-nlb-local-1a", "origin web-nlb-local-1b", "back to the origin node"])
        #expect(spec.rules[0].expressions == NFTMatch.inputInterface(nodeA.port) + NFTMatch.conntrackStateNew
            + [.immediate(data: NFTMatch.hostOrder(0x101fe), into: .register(1)), .setConntrack(.mark, from: .register(1))])
    }

    @Test func aMissingRuleOrTableRouteIsAddedBackAloneAndAStrayRuleRemoved() throws {
        let desired = try fabric()
        var observed = try SnapshotBuilder.matchingEverything(desired)
        #expect(try plan(desired, observed).isEmpty)
        var state = observed.namespaces[router]!
        state.rules.removeAll { $0.mark == nodeA.mark }
        state.rules.append(RoutingRule(priority: 1000, mark: 0x10999, table: 0x10999))
        observed.namespaces[router] = state
        #expect(try plan(desired, observed).map(\.description) == [
            "- rule 1000: fwmark 0x10999 lookup 67993 (in \(router))",
            "+ rule 1000: fwmark 0x101fe lookup 66046 (in \(router))",
        ])
    }

    @Test func aNodePortStillInItsBridgeIsReleased() throws {
        let desired = try fabric()
        var observed = try SnapshotBuilder.matchingEverything(desired)
        var state = observed.namespaces[router]!
        let bridge = try #require(state.link(named: "br-subnet-1a")).index
        let index = try #require(state.links.firstIndex { $0.name == nodeA.port })
        state.links[index] = Link.make(index: state.links[index].index, name: nodeA.port, kind: "veth", master: bridge)
        observed.namespaces[router] = state
        #expect(try plan(desired, observed).map(\.description) == ["~ link \(nodeA.port) (in \(router)): up"])
    }

    /// The default topology's NLB forwards to an `alb` group, whose targets see the client: the
    /// node masquerades nothing on either datapath. A TCP `ip` group's listener is masqueraded.
    @Test func onlyListenersThatDoNotPreserveTheClientAreMasqueraded() throws {
        for ipvs in [false, true] {
            let tables = try fabric(ipvs: ipvs).desiredNFTables.filter { $0.namespace == "lbnet-web-nlb-local-1a" }
            let rules: [NFTRuleSpec] = tables.flatMap { table -> [NFTRuleSpec] in
                switch table.content {
                case .networkLoadBalancer(let spec): (try? NLBNodeTable.desired(spec, current: nil).rules) ?? []
                case .ipvsSourceNAT(let spec): spec.rules
                default: []
                }
            }
            #expect(!rules.contains { $0.purpose.hasPrefix("masquerade") }, "ipvs \(ipvs): \(rules.map(\.purpose))")
        }
        let ipGroup = StateFileLoader.defaultTopologyYAML
            .replacingOccurrences(of: "targetType: alb", with: "targetType: ip")
            .replacingOccurrences(of: "- id: web-alb\n", with: "- id: 10.0.1.11\n")
        let spec = try #require(try fabric(ipvs: true, ipGroup).nodeDatapaths.first { $0.node == "web-nlb-local-1a" })
        #expect(spec.listeners.map(\.preservesClientAddress) == [false])
        #expect(IPVSSourceNAT.table(spec).rules.map(\.purpose) == ["masquerade tcp 80"])
    }
}
