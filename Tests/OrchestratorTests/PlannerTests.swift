@testable import Kernel
import Testing
@testable import Orchestrator

/// Builds kernel snapshots for planner tests, as the dumps of an up-to-date kernel would show.
struct SnapshotBuilder {
    var snapshot = KernelSnapshot()
    private var nextIndex: Int32 = 10

    /// A snapshot in which every object of `fabric` exists as desired.
    static func matching(_ fabric: FabricSpec) -> KernelSnapshot {
        var builder = SnapshotBuilder()
        for namespace in fabric.namespaces { builder.add(namespace) }
        for process in fabric.processes { builder.snapshot.processes[process.name] = process }
        return builder.snapshot
    }

    mutating func add(_ spec: NamespaceSpec) {
        var state = NamespaceState()
        var indexes: [String: Int32] = [:]
        for link in spec.links {
            let index: Int32 = link.kind == .loopback ? 1 : nextIndex
            nextIndex += 1
            indexes[link.name] = index
        }
        for link in spec.links {
            state.links.append(Link.make(index: indexes[link.name]!, name: link.name, kind: link.kernelKind,
                                         master: link.master.flatMap { indexes[$0] }))
        }
        state.addresses = spec.addresses.map {
            InterfaceAddress(interfaceIndex: indexes[$0.interface]!, address: $0.address, noPrefixRoute: $0.noPrefixRoute)
        }
        state.routes = spec.routes.map {
            Route(destination: $0.destination, gateway: $0.gateway, outputInterfaceIndex: indexes[$0.device ?? "eth0"], table: $0.table,
                  gatewayOnLink: $0.gatewayOnLink)
        }
        state.rules = spec.rules
        state.sysctls = spec.sysctls
        snapshot.namespaces[spec.name] = state
    }

    /// A snapshot in which every object of `fabric` exists as desired, owned tables, IPVS
    /// services and ALB node configuration files included.
    static func matchingEverything(_ fabric: FabricSpec) throws -> KernelSnapshot {
        var snapshot = matching(fabric)
        for table in fabric.desiredNFTables {
            snapshot.namespaces[table.namespace]?.nftables[table.table] = try readBack(table)
            snapshot.namespaces[table.namespace]?.nftablesGeneration = 7
        }
        for table in fabric.desiredIPVSTables {
            snapshot.namespaces[table.namespace]?.ipvs = table.table
            snapshot.namespaces[table.namespace]?.ipvsTCPTimeout = table.tcpTimeout
        }
        for configuration in fabric.proxyConfigurations {
            snapshot.proxyConfigurations[configuration.node] = configuration.data
        }
        return snapshot
    }

    /// What the kernel would report after committing `table` (handles numbered in order).
    static func readBack(_ table: OwnedNFTable) throws -> NFTTableState {
        let desired: NFTTableSpec = switch table.content {
        case .networkLoadBalancer(let spec): try NLBNodeTable.desired(spec, current: nil)
        case .ipvsSourceNAT(let spec), .returnPath(let spec), .terminatorReturnPath(let spec), .privateLinkReturnPath(let spec): spec
        case .elasticIPNAT(let spec): try GatewayNATTable.desired(spec)
        case .endpointNAT(let spec): try EndpointNATTable.desired(spec)
        case .securityGroups(let spec): try SecurityGroupTable.desired(spec)
        }
        var handle: UInt64 = 0
        func next() -> UInt64 { handle += 1; return handle }
        return NFTTableState(
            name: desired.name, handle: next(),
            chains: desired.chains.map { NFTChainState(name: $0.name, handle: next(), spec: $0) },
            maps: desired.maps.map { NFTMapState(definition: $0.definition, flags: $0.definition.flags, handle: next(), elements: $0.elements) },
            rules: desired.rules.map { NFTRuleState(chain: $0.chain, handle: next(), comment: $0.comment, expressions: $0.expressions) })
    }
}

extension Link {
    /// A link as a dump reports it (veths always show a peer in another namespace).
    static func make(index: Int32, name: String, kind: String?, master: Int32? = nil, up: Bool = true) -> Link {
        Link(index: index, name: name, kind: kind, isUp: up, masterIndex: master,
             peerIndex: kind == "veth" ? 99 : nil, peerInOtherNamespace: kind == "veth")
    }
}

@Suite struct PlannerTests {
    let naming = Naming(prefix: "lbnet")

    func fabric(_ yaml: String = StateFileLoader.defaultTopologyYAML) throws -> FabricSpec {
        FabricBuilder(naming: naming, executable: "/usr/bin/lbnet").build(try StateFileLoader.parse(yaml, source: "test.yaml").resolve())
    }

    @Test func emptyKernelGetsEverythingInDependencyOrder() throws {
        let desired = try fabric()
        let changes = try Planner.plan(desired: desired, observed: KernelSnapshot(), owned: [])
        let phases = changes.map(\.phase)
        #expect(phases == phases.sorted())
        #expect(changes.filter { if case .createNamespace = $0 { true } else { false } }.count == 6)  // router, 4 instances, internet
        #expect(changes.contains(.createBridge(namespace: "lbnet-vpc.main", name: "br-subnet-1a")))
        #expect(changes.contains(.createVeth(namespace: "lbnet-vpc.main", name: "v-web-a1", peerNamespace: "lbnet-web-a1", peerName: "eth0")))
        #expect(changes.contains(.addAddress(namespace: "lbnet-web-b2", AddressSpec(interface: "eth0", address: IPv4Interface(address: IPv4Address(10, 0, 2, 12), prefixLength: 24),
                                                                                    noPrefixRoute: true))))
        // Even its own subnet is reached through the VPC's router: a link route to the gateway, then the default route.
        #expect(changes.contains(.addRoute(namespace: "lbnet-web-a1", .hostRoute(IPv4Address(10, 0, 1, 1), device: "eth0"))))
        #expect(changes.contains(.addRoute(namespace: "lbnet-web-a1", .defaultRoute(via: IPv4Address(10, 0, 1, 1)))))
        #expect(changes.contains(.setSysctl(namespace: "lbnet-vpc.main", key: "net.ipv4.conf.all.send_redirects", value: "0")))
        #expect(changes.contains(.setSysctl(namespace: "lbnet-vpc.main", key: "net.ipv4.ip_forward", value: "1")))
        #expect(changes.filter { if case .startProcess = $0 { true } else { false } }.count == 4)
    }

    @Test func upToDateKernelGetsNoChange() throws {
        let desired = try fabric()
        let owned = Set(desired.namespaces.map(\.name))
        #expect(try Planner.plan(desired: desired, observed: SnapshotBuilder.matching(desired), owned: owned).isEmpty)
    }

    @Test func addingAnInstanceCreatesOnlyIt() throws {
        let before = try fabric()
        let after = before.withInstance(named: "web-a3", naming: naming, subnetBridge: "br-subnet-1a",
                                        address: "10.0.1.13/24", gateway: IPv4Address(10, 0, 1, 1))
        let changes = try Planner.plan(desired: after, observed: SnapshotBuilder.matching(before), owned: Set(before.namespaces.map(\.name)))
        #expect(changes.allSatisfy { $0.description.contains("web-a3") })
        #expect(changes.contains(.createNamespace("lbnet-web-a3")))
        #expect(changes.count == 7)  // namespace, veth, router-side port up, lo up, eth0 up, address, route
    }

    @Test func removedHostNamespaceIsDeleted() throws {
        let desired = try fabric()
        var observed = SnapshotBuilder.matching(desired)
        var builder = SnapshotBuilder()
        builder.add(NamespaceSpec(name: "lbnet-old"))
        observed.namespaces["lbnet-old"] = builder.snapshot.namespaces["lbnet-old"]
        let changes = try Planner.plan(desired: desired, observed: observed, owned: Set(desired.namespaces.map(\.name)).union(["lbnet-old"]))
        #expect(changes == [.deleteNamespace("lbnet-old")])
    }

    @Test func namespacesNotOwnedAreNeverDeleted() throws {
        let desired = try fabric()
        var observed = SnapshotBuilder.matching(desired)
        observed.namespaces["someone-else"] = NamespaceState()
        #expect(try Planner.plan(desired: desired, observed: observed, owned: Set(desired.namespaces.map(\.name))).isEmpty)
    }

    /// The plan for the default topology when web-a1's `eth0` holds `address` (with its prefix route).
    func planWithWebA1Holding(_ address: IPv4Address) throws -> [String] {
        let desired = try fabric()
        var observed = SnapshotBuilder.matching(desired)
        var state = observed.namespaces["lbnet-web-a1"]!
        let eth0 = state.link(named: "eth0")!.index
        state.addresses = [InterfaceAddress(interfaceIndex: eth0, address: IPv4Interface(address: address, prefixLength: 24))]
        observed.namespaces["lbnet-web-a1"] = state
        return try Planner.plan(desired: desired, observed: observed, owned: Set(desired.namespaces.map(\.name))).map(\.description)
    }

    @Test func changedAddressIsReplaced() throws {
        // The routes through the deleted address go with it: they are added again.
        #expect(try planWithWebA1Holding(IPv4Address(10, 0, 1, 99)) == [
            "- address 10.0.1.99/24 on eth0 (in lbnet-web-a1)",
            "+ address 10.0.1.11/24 noprefixroute on eth0 (in lbnet-web-a1)",
            "+ route 10.0.1.1/32 dev eth0 (in lbnet-web-a1)",
            "+ route default via 10.0.1.1 (in lbnet-web-a1)",
        ])
    }

    /// An address lbnet made before hosts routed through their gateway (with its prefix route)
    /// is made again without it.
    @Test func anAddressWithItsPrefixRouteIsMadeAgainWithout() throws {
        #expect(try planWithWebA1Holding(IPv4Address(10, 0, 1, 11)).prefix(2) == [
            "- address 10.0.1.11/24 on eth0 (in lbnet-web-a1)",
            "+ address 10.0.1.11/24 noprefixroute on eth0 (in lbnet-web-a1)",
        ])
    }

    @Test func brokenVethPairIsRecreatedWithItsAddressAndRoute() throws {
        let desired = try fabric()
        var observed = SnapshotBuilder.matching(desired)
        var host = observed.namespaces["lbnet-web-b1"]!
        host.links.removeAll { $0.name == "eth0" }
        host.addresses = []
        host.routes = []
        observed.namespaces["lbnet-web-b1"] = host
        let changes = try Planner.plan(desired: desired, observed: observed, owned: Set(desired.namespaces.map(\.name)))
        #expect(changes.first == .deleteLink(namespace: "lbnet-vpc.main", name: "v-web-b1"))
        #expect(changes.contains(.createVeth(namespace: "lbnet-vpc.main", name: "v-web-b1", peerNamespace: "lbnet-web-b1", peerName: "eth0")))
        #expect(changes.contains(.setLink(namespace: "lbnet-vpc.main", name: "v-web-b1", up: true, master: "br-subnet-1b")))
        #expect(changes.contains(.addRoute(namespace: "lbnet-web-b1", .defaultRoute(via: IPv4Address(10, 0, 2, 1)))))
        #expect(changes.filter { if case .addAddress = $0 { true } else { false } }.count == 1)
    }

    @Test func deadProcessIsStartedAndChangedOneRestarted() throws {
        let desired = try fabric()
        var observed = SnapshotBuilder.matching(desired)
        observed.processes["web-a1"] = nil
        observed.processes["web-a2"] = ProcessSpec(name: "web-a2", namespace: "lbnet-web-a2", arguments: ["old"])
        observed.processes["gone"] = ProcessSpec(name: "gone", namespace: "lbnet-gone", arguments: ["x"])
        let changes = try Planner.plan(desired: desired, observed: observed, owned: Set(desired.namespaces.map(\.name)))
        #expect(changes.map(\.description).sorted() == [
            "+ process web-a1 (in lbnet-web-a1): /usr/bin/lbnet target --name web-a1 --az local-1a --port 8080",
            "- process gone (in lbnet-gone)",
            "~ process web-a2 (in lbnet-web-a2): /usr/bin/lbnet target --name web-a2 --az local-1a --port 8080",
        ])
    }

    @Test func aProcessWhoseNamespaceWasDeletedStartsAgainInTheNewOne() throws {
        let desired = try fabric()
        var observed = SnapshotBuilder.matching(desired)
        observed.namespaces["lbnet-web-b1"] = nil  // deleted behind lbnet's back; its server still runs, orphaned
        let changes = try Planner.plan(desired: desired, observed: observed, owned: Set(desired.namespaces.map(\.name)))
        #expect(changes.contains(.createNamespace("lbnet-web-b1")))
        #expect(changes.contains { if case .restartProcess(let spec) = $0 { spec.name == "web-b1" } else { false } })
        #expect(!changes.contains { if case .restartProcess(let spec) = $0 { spec.name != "web-b1" } else { false } })
    }
}

extension FabricSpec {
    /// The fabric with one more instance in the first VPC, as the builder would add it.
    func withInstance(named name: String, naming: Naming, subnetBridge: String, address: String, gateway: IPv4Address) -> FabricSpec {
        var copy = self
        let namespace = naming.hostNamespace(name)
        let parts = address.split(separator: "/")
        copy.namespaces[0].links.append(LinkSpec(name: Naming.hostPort(host: name), kind: .veth(peerNamespace: namespace, peerName: "eth0"), master: subnetBridge))
        copy.namespaces.append(NamespaceSpec(
            name: namespace,
            links: [LinkSpec(name: "lo", kind: .loopback), LinkSpec(name: "eth0", kind: .vethPeer(ownerNamespace: copy.namespaces[0].name, ownerName: Naming.hostPort(host: name)))],
            addresses: [AddressSpec(interface: "eth0", address: IPv4Interface(address: IPv4Address(parts[0])!, prefixLength: Int(parts[1])!))],
            routes: [.defaultRoute(via: gateway)]))
        return copy
    }
}
