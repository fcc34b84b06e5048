import Kernel

/// Gives NLB nodes (placed as hosts by `LoadBalancerNodePlacement`) their listeners' backends
/// by AWS's zone rules.
public enum NetworkLoadBalancerPlacement {
    public static let crossZoneAttribute = "load_balancing.cross_zone.enabled"

    /// The NLB nodes, given every load balancer node host from `hosts(file:topology:)`.
    public static func nodes(file: StateFile, topology: Topology, hosts: [Topology.Host]) -> [NetworkLoadBalancerNode] {
        var nodes: [NetworkLoadBalancerNode] = []
        for balancer in file.loadBalancers where balancer.type == .network {
            let lbCrossZone = balancer.attributes[crossZoneAttribute] == "true"
            for mapping in LoadBalancerNodePlacement.mappings(of: balancer) {
                guard let host = hosts.first(where: { $0.kind == .loadBalancerNode(loadBalancer: balancer.name) && $0.subnet == mapping.subnetId })
                else { continue }
                let listeners = balancer.listeners.compactMap { listener in
                    self.listener(listener, file: file, topology: topology, nodeAZ: host.az, lbCrossZone: lbCrossZone)
                }
                var node = NetworkLoadBalancerNode(
                    loadBalancer: balancer.name, host: host, scheme: balancer.scheme,
                    elasticIPName: balancer.scheme == .internetFacing ? (mapping.allocationId ?? host.name) : nil,
                    elasticIP: nil, datapath: balancer.datapath ?? .auto, scheduler: balancer.scheduler ?? .sh,
                    listeners: listeners)
                node.tcpIdleTimeout = balancer.listeners.lazy.compactMap { $0.attributes[NetworkAttributeCatalog.idleTimeout] }
                    .compactMap { UInt32($0) }.first ?? NetworkLoadBalancerNode.defaultTCPIdleTimeout
                nodes.append(node)
            }
        }
        return nodes
    }

    private static func listener(_ listener: StateFile.Listener, file: StateFile, topology: Topology,
                                 nodeAZ: String, lbCrossZone: Bool) -> NetworkLoadBalancerNode.Listener? {
        guard let groupName = listener.defaultActions.first?.forwardTargets.first?.targetGroupName,
              let group = file.targetGroups.first(where: { $0.name == groupName }) else { return nil }
        let crossZone = switch group.attributes[crossZoneAttribute] {
        case "true": true
        case "false": false
        default: lbCrossZone
        }
        let backends = group.targets.compactMap { target -> NetworkLoadBalancerNode.Backend? in
            let port = target.port ?? group.port
            switch group.targetType {
            case .instance:
                guard let host = topology.host(named: target.id) else { return nil }
                return .init(targetId: target.id, address: host.address.address, port: port, availabilityZone: host.az)
            case .ip:
                guard let address = IPv4Address(target.id) else { return nil }
                let az = topology.vpcs.first { $0.name == group.vpc }?.subnets.first { $0.cidr.contains(address) }?.az ?? "unknown"
                return .init(targetId: target.id, address: address, port: port, availabilityZone: az)
            case .alb:
                return nil
            }
        } + (group.targetType == .alb ? group.targets.flatMap { target in
            topology.hosts.filter { $0.kind == .loadBalancerNode(loadBalancer: target.id) }.map {
                NetworkLoadBalancerNode.Backend(targetId: target.id, address: $0.address.address, port: target.port ?? group.port,
                                                availabilityZone: $0.az)
            }
        } : [])
        return .init(protocol: listener.protocol, port: listener.port, targetGroup: groupName, crossZone: crossZone,
                     backends: crossZone ? backends : backends.filter { $0.availabilityZone == nodeAZ },
                     sourceIPStickiness: group.attributes[NetworkAttributeCatalog.stickinessEnabled] == "true",
                     unhealthyTermination: (group.attributes[NetworkAttributeCatalog.unhealthyTermination]
                        ?? (group.protocol == .udp || group.protocol == .tcpUDP ? "false" : "true")) == "true",
                     preservesClientAddress: (group.attributes[NetworkAttributeCatalog.preserveClientIP]
                        ?? String(NetworkAttributeCatalog.Context(protocol: group.protocol, targetType: group.targetType)
                            .preservesClientAddress)) == "true",
                     proxyProtocol: group.attributes[NetworkAttributeCatalog.proxyProtocol] == "true")
    }
}
