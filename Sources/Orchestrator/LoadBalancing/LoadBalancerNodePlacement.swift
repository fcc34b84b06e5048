import Kernel

/// Places the nodes of every load balancer, whatever its type, as hosts: one per enabled
/// subnet, named `LB-AZ`, at the subnet mapping's `privateIPv4Address` or the highest free
/// address of the subnet (instances take the low ones).
public enum LoadBalancerNodePlacement {
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

    static func mappings(of balancer: StateFile.LoadBalancer) -> [StateFile.SubnetMapping] {
        balancer.subnetMappings.isEmpty ? balancer.subnets.map { StateFile.SubnetMapping(subnetId: $0) } : balancer.subnetMappings
    }

    /// The highest usable address of `subnet` not in `taken` (never .0-.3 or the broadcast).
    static func highestFree(in subnet: IPv4Network, taken: Set<IPv4Address>) -> IPv4Address? {
        stride(from: Int(subnet.size) - 2, through: 4, by: -1).lazy.map { subnet.address(at: $0) }.first { !taken.contains($0) }
    }
}
