import Kernel

/// Changes one NLB node's datapath from one spec to the next without a reconcile: the runtime's
/// path for health and draining changes. With IPVS it sends only the destination changes
/// between the two specs (reading the node's services once when the previous spec is not
/// known, e.g. after the daemon restarted); with nftables it reads the node's table and
/// commits only the map elements that differ.
struct NodeDatapathUpdater {
    let session: KernelSession

    /// Returns how many kernel changes it made.
    @discardableResult
    func update(from previous: NodeDatapathSpec?, to next: NodeDatapathSpec) throws -> Int {
        switch next.datapath {
        case .ipvs:
            let client = try session.ipvs(in: next.namespace)
            let observed = try previous.map(IPVSNodeDatapath.table) ?? client.table()
            let changes = IPVSPlanner.diff(desired: IPVSNodeDatapath.table(next), observed: observed)
            try client.apply(changes)
            return changes.count
        default:
            let client = NFTablesNetlink(socket: try session.netfilter(in: next.namespace))
            return try NLBNodeTable.apply(NFTablesNodeDatapath.table(next), using: client).batch.operations.count
        }
    }
}
