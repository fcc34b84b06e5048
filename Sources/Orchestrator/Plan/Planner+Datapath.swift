import Kernel

extension Planner {
    /// One step per owned nftables table that differs: desired tables planned from their
    /// read-back state, and tables of lbnet's names that no spec wants any more removed (a
    /// datapath switch leaves the old node table behind otherwise).
    static func nftablesChanges(desired: FabricSpec, observed: KernelSnapshot) throws -> [Change] {
        let wanted = Dictionary(grouping: desired.desiredNFTables, by: \.namespace)
        var changes: [Change] = []
        for spec in desired.namespaces {
            let state = observed.namespaces[spec.name]
            let tables = Dictionary((wanted[spec.name] ?? []).map { ($0.table, $0) }, uniquingKeysWith: { first, _ in first })
            for name in OwnedNFTable.names {
                let current = state?.nftables[name]
                let batch: NFTBatch
                if let table = tables[name] {
                    batch = try table.plan(current: current)
                } else {
                    batch = NFTPlanner.planRemoval(of: name, current: current)
                }
                guard !batch.isEmpty else { continue }
                changes.append(.nftables(NFTablesStep(namespace: spec.name, table: name, desired: tables[name], batch: batch,
                                                      existed: current != nil, generation: state?.nftablesGeneration)))
            }
        }
        return changes
    }

    /// The IPVS changes of each NLB node namespace (planned against no services when the
    /// namespace is new).
    static func ipvsChanges(desired: FabricSpec, observed: KernelSnapshot) -> [Change] {
        desired.desiredIPVSTables.compactMap { table in
            let namespace = observed.namespaces[table.namespace]
            var changes = IPVSPlanner.diff(desired: table.table, observed: namespace?.ipvs ?? IPVSTable())
            if let timeout = table.tcpTimeout, timeout != namespace?.ipvsTCPTimeout {
                changes.append(.setTCPTimeout(timeout))
            }
            return changes.isEmpty ? nil : .ipvs(IPVSStep(namespace: table.namespace, node: table.node, changes: changes))
        }
    }
}
