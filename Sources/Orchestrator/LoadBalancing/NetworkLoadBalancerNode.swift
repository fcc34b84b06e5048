import Kernel

/// One node of a Network Load Balancer: its per-AZ network interface (a host of its own), its
/// Elastic IP when internet-facing, and per listener the backends this node may send flows to.
public struct NetworkLoadBalancerNode: Sendable, Equatable {
    public let loadBalancer: String
    public let host: Topology.Host
    public let scheme: StateFile.LoadBalancerScheme
    /// The name of the Elastic IP this node uses (from `subnetMappings[].allocationId`, or one
    /// lbnet allocates, named after the node); `nil` for internal load balancers.
    public let elasticIPName: String?
    public var elasticIP: ElasticIPAllocation?
    public let datapath: StateFile.Datapath
    public let scheduler: StateFile.Scheduler
    public let listeners: [Listener]
    /// The PrivateLink interface endpoints that reach the node's endpoint service through it
    /// (pending ones included; only available ones carry traffic).
    public var endpointConnections: [InterfaceEndpoint] = []

    /// A TCP or UDP listener and what it forwards to, seen from this node.
    public struct Listener: Sendable, Equatable {
        public let `protocol`: StateFile.TrafficProtocol
        public let port: Int
        public let targetGroup: String
        /// Whether this node may use targets in every AZ (the target group's attribute, or the LB's).
        public let crossZone: Bool
        public let backends: [Backend]
    }

    /// A registered target as this node sees it (for an `alb` target group: one of the ALB's nodes).
    public struct Backend: Sendable, Hashable {
        public let targetId: String
        public let address: IPv4Address
        public let port: Int
        public let availabilityZone: String

        /// How health records and datapaths name it: `address:port`.
        public var key: String { "\(address):\(port)" }
    }

    public var name: String { host.name }
    public var availabilityZone: String { host.az }
}

/// Places load balancer nodes: one per enabled subnet, named `LB-AZ`, at the subnet mapping's
/// `privateIPv4Address` or the highest free address of the subnet (instances take the low ones),
/// for both load balancer types, and gives NLB nodes their listeners' backends by AWS's zone
/// rules.
public enum NetworkLoadBalancerPlacement {
    public static let crossZoneAttribute = "load_balancing.cross_zone.enabled"

    /// Addresses placement must not give out: every host's so far and every subnet mapping's
    /// fixed `privateIPv4Address`.
    public static func reservedAddresses(file: StateFile, topology: Topology) -> Set<IPv4Address> {
        Set(topology.hosts.map(\.address.address) + file.loadBalancers.flatMap { $0.subnetMappings.compactMap(\.privateIPv4Address) })
    }

    /// The node hosts of every load balancer, in file order; the addresses they take join
    /// `taken`, which later placements (interface endpoints) share.
    public static func hosts(file: StateFile, topology: Topology, taken: inout Set<IPv4Address>) -> [Topology.Host] {
        let subnets = Dictionary(topology.vpcs.flatMap { vpc in vpc.subnets.map { ($0.name, (vpc, $0)) } }, uniquingKeysWith: { a, _ in a })
        var hosts: [Topology.Host] = []
        for balancer in file.loadBalancers {
            for mapping in mappings(of: balancer) {
                guard let (vpc, subnet) = subnets[mapping.subnetId],
                      let address = mapping.privateIPv4Address ?? highestFree(in: subnet.cidr, taken: taken) else { continue }
                taken.insert(address)
                hosts.append(Topology.Host(name: "\(balancer.name)-\(subnet.az)", kind: .loadBalancerNode(loadBalancer: balancer.name),
                                           vpc: vpc.name, subnet: subnet.name, az: subnet.az,
                                           address: IPv4Interface(address: address, prefixLength: subnet.cidr.prefixLength),
                                           gateway: subnet.gateway.address))
            }
        }
        return hosts
    }

    /// The NLB nodes, given every load balancer node host from `hosts(file:topology:)`.
    public static func nodes(file: StateFile, topology: Topology, hosts: [Topology.Host]) -> [NetworkLoadBalancerNode] {
        var nodes: [NetworkLoadBalancerNode] = []
        for balancer in file.loadBalancers where balancer.type == .network {
            let lbCrossZone = balancer.attributes[crossZoneAttribute] == "true"
            for mapping in mappings(of: balancer) {
                guard let host = hosts.first(where: { $0.kind == .loadBalancerNode(loadBalancer: balancer.name) && $0.subnet == mapping.subnetId })
                else { continue }
                let listeners = balancer.listeners.compactMap { listener in
                    self.listener(listener, file: file, topology: topology, nodeAZ: host.az, lbCrossZone: lbCrossZone)
                }
                nodes.append(NetworkLoadBalancerNode(
                    loadBalancer: balancer.name, host: host, scheme: balancer.scheme,
                    elasticIPName: balancer.scheme == .internetFacing ? (mapping.allocationId ?? host.name) : nil,
                    elasticIP: nil, datapath: balancer.datapath ?? .auto, scheduler: balancer.scheduler ?? .sh,
                    listeners: listeners))
            }
        }
        return nodes
    }

    static func mappings(of balancer: StateFile.LoadBalancer) -> [StateFile.SubnetMapping] {
        balancer.subnetMappings.isEmpty ? balancer.subnets.map { StateFile.SubnetMapping(subnetId: $0) } : balancer.subnetMappings
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
                     backends: crossZone ? backends : backends.filter { $0.availabilityZone == nodeAZ })
    }

    /// The highest usable address of `subnet` not in `taken` (never .0-.3 or the broadcast).
    static func highestFree(in subnet: IPv4Network, taken: Set<IPv4Address>) -> IPv4Address? {
        stride(from: Int(subnet.size) - 2, through: 4, by: -1).lazy.map { subnet.address(at: $0) }.first { !taken.contains($0) }
    }
}
