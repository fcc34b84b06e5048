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
            let count = try NLBNodeTable.apply(NFTablesNodeDatapath.table(next), using: client).batch.operations.count
            return count + (try FlowTermination.cut(newlyCut(from: previous, to: next), through: next, session: session))
        }
    }

    /// The backends of `next` whose flows are cut and were not already in `previous` (every one
    /// when `previous` is unknown: cutting twice finds nothing the second time).
    func newlyCut(from previous: NodeDatapathSpec?, to next: NodeDatapathSpec) -> [FlowTermination.Flows] {
        next.listeners.flatMap { listener in
            listener.backends.filter { backend in
                backend.flowsCut && !(previous?.listeners.first { $0.port == listener.port && $0.protocol == listener.protocol }?
                    .backends.contains { $0.address == backend.address && $0.port == backend.port && $0.flowsCut } ?? false)
            }.map { FlowTermination.Flows(listenerPort: Int(listener.port), address: $0.address, port: $0.port) }
        }
    }
}
