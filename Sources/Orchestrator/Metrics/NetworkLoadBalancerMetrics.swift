import Health

/// What one NLB node's kernel datapath counted (see ``NetworkLoadBalancerCounterReader``).
struct NetworkLoadBalancerNodeCounters: Sendable, Equatable {
    var newFlows: UInt64 = 0
    var activeFlows: UInt64 = 0
    var processedBytes: UInt64 = 0
    /// TCP resets by direction: counted on the nftables datapath only (IPVS has no such counter).
    var clientResets: UInt64?
    var targetResets: UInt64?
}

/// The `AWS/NetworkELB` samples of one NLB node: its datapath's counters, and the health of
/// the targets in its zone as its health checks see them.
enum NetworkLoadBalancerMetrics {
    static func samples(node: NetworkLoadBalancerNode, counters: NetworkLoadBalancerNodeCounters?, health: HealthRecord,
                        identity: AWSIdentity = AWSIdentity()) -> [MetricSample] {
        let loadBalancer = identity.loadBalancerResource(node.loadBalancer, type: .network)
        let zone = node.availabilityZone
        var samples: [MetricSample] = []
        if let counters {
            samples += [
                MetricSample(.newFlowCount, loadBalancer: loadBalancer, availabilityZone: zone, value: Double(counters.newFlows)),
                MetricSample(.activeFlowCount, loadBalancer: loadBalancer, availabilityZone: zone, value: Double(counters.activeFlows)),
                MetricSample(.processedBytes, loadBalancer: loadBalancer, availabilityZone: zone, value: Double(counters.processedBytes)),
            ]
            for (metric, value) in [(CloudWatchMetric.tcpClientResetCount, counters.clientResets), (.tcpTargetResetCount, counters.targetResets)] {
                if let value { samples.append(MetricSample(metric, loadBalancer: loadBalancer, availabilityZone: zone, value: Double(value))) }
            }
        }
        var targets: [String: Set<String>] = [:]
        for listener in node.listeners {
            targets[listener.targetGroup, default: []].formUnion(listener.backends.filter { $0.availabilityZone == zone }.map(\.key))
        }
        for (group, keys) in targets.sorted(by: { $0.key < $1.key }) {
            let states = keys.map { health.nodes[node.name]?[$0]?.state }
            let dimension = identity.targetGroupResource(group)
            samples.append(MetricSample(.healthyHostCount, loadBalancer: loadBalancer, targetGroup: dimension, availabilityZone: zone,
                                        value: Double(states.count { $0 == .healthy })))
            samples.append(MetricSample(.unHealthyHostCount, loadBalancer: loadBalancer, targetGroup: dimension, availabilityZone: zone,
                                        value: Double(states.count { $0 == .unhealthy })))
        }
        return samples
    }
}
