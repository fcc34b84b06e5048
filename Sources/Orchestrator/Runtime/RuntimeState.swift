import Foundation

/// What the runtime's loop owns: the applied model, the NLB target health it measured, the
/// targets that drain, each node's datapath as last applied, and its counters.
struct RuntimeState {
    var model: DeploymentModel?
    var health = HealthRecord()
    var draining: [DrainingBackend]
    /// Each NLB node's datapath as the runtime last made it; unknown after a restart.
    var nodes: [String: NodeDatapathSpec] = [:]
    var datapathUpdates = 0
    var reconciles = 0

    init(model: DeploymentModel?, draining: [DrainingBackend]) {
        self.model = model
        self.draining = draining
    }

    /// The earliest deadline of a draining target.
    var nextDrainDeadline: Double? { draining.map(\.deadline).min() }

    /// The datapath `node` must have now.
    func nodeSpec(_ node: String, naming: Naming, model: DeploymentModel) -> NodeDatapathSpec? {
        guard let balancer = model.networkLoadBalancerNodes.first(where: { $0.name == node }) else { return nil }
        let datapath = nodes[node]?.datapath ?? balancer.datapath.resolved(ipvsAvailable: IPVSAvailability.kernelHasIPVS)
        return NodeDatapathSpec(node: balancer, namespace: naming.hostNamespace(node), datapath: datapath,
                                draining: draining.filter { $0.node == node }, health: health)
    }
}
