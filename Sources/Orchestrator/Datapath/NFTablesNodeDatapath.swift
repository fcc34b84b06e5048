import Kernel

/// An NLB node's datapath in nftables (`table ip lbnet_nlb`): per listener, a jhash of the
/// client's address and port over 256 slots mapped to backends in proportion to their weight,
/// then DNAT; `ct status dnat masquerade` sends replies back through the node. Backend changes
/// are map element changes only.
enum NFTablesNodeDatapath {
    static func table(_ spec: NodeDatapathSpec) -> NLBNodeSpec {
        NLBNodeSpec(address: spec.virtualAddress, additionalAddresses: spec.additionalAddresses, listeners: spec.listeners.map { listener in
            NLBListener(transport: listener.protocol == .tcp ? .tcp : .udp, port: listener.port,
                        backends: listener.backends.map { NLBBackend(address: $0.address, port: $0.port, weight: $0.weight) })
        })
    }

    static func client(_ namespace: String, session: KernelSession) throws -> NFTablesNetlink {
        NFTablesNetlink(socket: try session.netfilter(in: namespace))
    }

    static func current(_ namespace: String, table: String, session: KernelSession) throws -> NFTTableState? {
        guard NetworkNamespace.exists(namespace) else { return nil }
        return try client(namespace, session: session).readTable(table).table
    }

    static func pending(_ spec: NodeDatapathSpec, session: KernelSession) throws -> [String] {
        let current = try current(spec.namespace, table: NLBNodeTable.name, session: session)
        return try NLBNodeTable.plan(table(spec), current: current).operations.map(\.description)
    }

    static func apply(_ spec: NodeDatapathSpec, session: KernelSession) throws {
        try NLBNodeTable.apply(table(spec), using: client(spec.namespace, session: session))
    }

    /// With the IPVS datapath the node still source-NATs what it forwards, so replies come back
    /// through it: `table ip lbnet_ipvs_snat`, masquerading every packet leaving by `eth0` whose
    /// source is not the node's own address (IPVS-forwarded flows, seen by nftables because
    /// `net.ipv4.vs.conntrack=1`); flows from PrivateLink endpoints leave by `eth0` too, so
    /// targets see the node's address and replies return over the transit link.
    static func sourceNATTable(_ spec: NodeDatapathSpec) -> NFTTableSpec {
        NFTTableSpec(
            name: "lbnet_ipvs_snat",
            chains: [NFTChainSpec(name: "postrouting", type: .nat, hook: .postrouting, priority: NFTChainSpec.sourceNATPriority)],
            maps: [],
            rules: [NFTRuleSpec(chain: "postrouting", purpose: "masquerade forwarded flows", expressions:
                NFTMatch.outputInterface(Naming.hostInterface)
                + [.payload(.network, offset: 12, length: 4, into: .register(1)),
                   .compare(.register(1), .notEqual, data: spec.virtualAddress.bytes),
                   .masquerade])])
    }

    static func applySourceNAT(_ spec: NodeDatapathSpec, session: KernelSession) throws {
        let table = sourceNATTable(spec)
        try client(spec.namespace, session: session).reconcile(table: table.name) { NFTPlanner.plan(table, current: $0) }
    }
}
