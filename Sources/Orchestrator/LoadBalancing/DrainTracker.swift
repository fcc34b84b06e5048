/// Deregistration as AWS does it: a target removed from an NLB's target group drains (weight
/// 0: no new flows, existing ones continue) for the group's
/// `deregistration_delay.timeout_seconds` (300 by default), then goes away.
public enum DrainTracker {
    public static let delayAttribute = "deregistration_delay.timeout_seconds"
    public static let defaultDelay: Double = 300

    /// The backends draining after moving from `previous` to `next` at time `now`: those that
    /// were draining and have not expired nor come back, and those `next` no longer has.
    public static func update(previous: DeploymentModel?, next: DeploymentModel, draining: [DrainingBackend], now: Double) -> [DrainingBackend] {
        let nodes = Dictionary(next.networkLoadBalancerNodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func stillServes(_ drain: DrainingBackend) -> Bool {
            nodes[drain.node]?.listeners.first { $0.port == drain.listenerPort }?.backends
                .contains { $0.address == drain.address && $0.port == Int(drain.port) } ?? true
        }
        func listenerExists(_ node: String, _ port: Int) -> Bool {
            nodes[node]?.listeners.contains { $0.port == port } ?? false
        }
        var result = draining.filter { $0.deadline > now && !stillServes($0) && listenerExists($0.node, $0.listenerPort) }
        for old in previous?.networkLoadBalancerNodes ?? [] {
            for listener in old.listeners where listenerExists(old.name, listener.port) {
                let delay = previous?.file.targetGroups.first { $0.name == listener.targetGroup }?
                    .attributes[delayAttribute].flatMap(Double.init) ?? defaultDelay
                for backend in listener.backends {
                    let drain = DrainingBackend(node: old.name, listenerPort: listener.port, address: backend.address,
                                                port: UInt16(backend.port), targetId: backend.targetId, deadline: now + delay)
                    guard !stillServes(drain), !result.contains(where: { $0.sameBackend(as: drain) }) else { continue }
                    result.append(drain)
                }
            }
        }
        return result
    }
}

extension DrainingBackend {
    func sameBackend(as other: DrainingBackend) -> Bool {
        node == other.node && listenerPort == other.listenerPort && address == other.address && port == other.port
    }
}
