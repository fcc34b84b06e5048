import Kernel

/// Turns the security groups of every network interface of a topology into the filter of its
/// namespace: the rules of its groups, with each group a rule names resolved to its members'
/// addresses in the same VPC.
public struct SecurityGroupFilters: Sendable {
    let directory: SecurityGroupDirectory
    let topology: Topology
    let naming: Naming

    public init(directory: SecurityGroupDirectory, topology: Topology, naming: Naming) {
        self.directory = directory
        self.topology = topology
        self.naming = naming
    }

    /// One entry per host with security groups, in host order.
    public func interfaces() -> [InterfaceSecurityGroups] {
        let attached = Dictionary(topology.hosts.map { ($0.name, directory.attached(to: $0)) }, uniquingKeysWith: { first, _ in first })
        return topology.hosts.compactMap { host in
            let names = attached[host.name] ?? []
            guard !names.isEmpty else { return nil }
            let groups = names.compactMap { directory.group($0, vpc: host.vpc) }
            let ingress = groups.flatMap { group in group.ingress.enumerated().compactMap { Self.rule($1, number: $0 + 1, of: group.name) } }
            let egress = groups.flatMap { group in group.effectiveEgress.enumerated().compactMap { Self.rule($1, number: $0 + 1, of: group.name) } }
            var members: [String: [IPv4Address]] = [:]
            for case .group(let name) in (ingress + egress).map(\.peer) where members[name] == nil {
                members[name] = topology.hosts.filter { $0.vpc == host.vpc && attached[$0.name]?.contains(name) == true }
                    .map(\.address.address)
            }
            let (inbound, outbound) = unfilteredInterfaces(of: host)
            return InterfaceSecurityGroups(host: host.name, namespace: naming.hostNamespace(host.name), filter: SecurityGroupFilterSpec(
                groups: names, ingress: ingress, egress: egress, groupMembers: members,
                unfilteredInbound: inbound, unfilteredOutbound: outbound))
        }
    }

    /// PrivateLink links carry traffic AWS does not filter with the interface's groups: an
    /// endpoint's link to its service, and, when the NLB says `off`, the inbound PrivateLink
    /// traffic of an NLB node.
    private func unfilteredInterfaces(of host: Topology.Host) -> (inbound: [String], outbound: [String]) {
        switch host.kind {
        case .endpoint:
            return ([Naming.privateLinkInterface], [Naming.privateLinkInterface])
        case .loadBalancerNode(let name):
            let balancer = directory.loadBalancer(named: name)
            let enforce = balancer?.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic ?? .on
            return (enforce == .off ? [Naming.privateLinkPortPrefix + "*"] : [], [])
        case .instance:
            return ([], [])
        }
    }

    /// The kernel's form of a valid state-file rule.
    static func rule(_ rule: StateFile.SecurityGroupRule, number: Int, of group: String) -> SecurityGroupFilterRule? {
        guard let value = rule.protocolValue else { return nil }
        let ports: SecurityGroupFilterRule.Ports
        switch value {
        case .tcp, .udp:
            guard let from = rule.fromPort.flatMap(UInt16.init(exactly:)), let to = rule.toPort.flatMap(UInt16.init(exactly:)),
                  from <= to else { return nil }
            ports = .range(from...to)
        case .icmp:
            ports = .icmp(type: rule.fromPort.flatMap(UInt8.init(exactly:)), code: rule.toPort.flatMap(UInt8.init(exactly:)))
        case .all, .number:
            ports = .any
        }
        let peer: SecurityGroupFilterRule.Peer = switch rule.peer {
        case .cidr(let network): .network(network)
        case .securityGroup(let name): .group(name)
        }
        return SecurityGroupFilterRule(group: group, number: number, protocolNumber: value.number, ports: ports, peer: peer)
    }
}
