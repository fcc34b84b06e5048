import Kernel

/// Places PrivateLink interface endpoints: for each `vpcEndpoints` entry, one interface per
/// subnet, named `ENDPOINT-AZ`, at the highest address of the subnet that no host has taken
/// (load balancer nodes are placed first, from the same `taken` set), connected to the provider
/// NLB node in its AZ (else the service's first node) over the transit link of its position.
public enum InterfaceEndpointPlacement {
    /// The interfaces of every endpoint in file order; their addresses join `taken`.
    ///
    /// - Parameters:
    ///   - topology: the resolved topology with the load balancer nodes' hosts.
    ///   - nodes: the NLB nodes, from `NetworkLoadBalancerPlacement.nodes`.
    public static func endpoints(file: StateFile, topology: Topology, nodes: [NetworkLoadBalancerNode],
                                 taken: inout Set<IPv4Address>) throws(PrivateLinkError) -> [InterfaceEndpoint] {
        let subnets = Dictionary(topology.vpcs.flatMap { vpc in vpc.subnets.map { ($0.name, (vpc, $0)) } },
                                 uniquingKeysWith: { first, _ in first })
        var names = Set(topology.hosts.map(\.name))
        var result: [InterfaceEndpoint] = []
        for endpoint in file.vpcEndpoints {
            guard let service = file.endpointServices.first(where: { $0.name == endpoint.serviceName }) else { continue }
            let candidates = service.networkLoadBalancers.flatMap { balancer in nodes.filter { $0.loadBalancer == balancer } }
            for subnetName in endpoint.subnets {
                guard let (vpc, subnet) = subnets[subnetName] else { continue }
                let name = "\(endpoint.name)-\(subnet.az)"
                guard names.insert(name).inserted else { throw .hostNameTaken(name, endpoint: endpoint.name) }
                guard let address = LoadBalancerNodePlacement.highestFree(in: subnet.cidr, taken: taken) else {
                    throw .noFreeAddress(endpoint: endpoint.name, subnet: subnet.name)
                }
                guard let provider = candidates.first(where: { $0.availabilityZone == subnet.az }) ?? candidates.first else {
                    throw .noProviderNode(endpoint: endpoint.name, service: service.name)
                }
                guard let transit = PrivateLinkTransit(position: result.count) else {
                    throw .transitPoolExhausted(endpoint: endpoint.name, capacity: PrivateLinkTransit.capacity)
                }
                taken.insert(address)
                let host = Topology.Host(
                    name: name, kind: .endpoint(service: service.name), vpc: vpc.name, subnet: subnet.name, az: subnet.az,
                    address: IPv4Interface(address: address, prefixLength: subnet.cidr.prefixLength),
                    gateway: subnet.gateway.address)
                result.append(InterfaceEndpoint(
                    endpoint: endpoint.name, service: service.name, host: host, state: state(of: endpoint, in: service),
                    providerNode: provider.name, transit: transit, ports: tcpPorts(of: provider)))
            }
        }
        return result
    }

    /// `pendingAcceptance` until a service that requires acceptance lists the endpoint.
    static func state(of endpoint: StateFile.VPCEndpoint, in service: StateFile.EndpointService) -> InterfaceEndpoint.State {
        service.acceptanceRequired && !service.acceptedEndpoints.contains(endpoint.name) ? .pendingAcceptance : .available
    }

    /// The ports of the node's listeners that carry TCP (TCP, TLS, TCP_UDP), each once.
    static func tcpPorts(of node: NetworkLoadBalancerNode) -> [UInt16] {
        var ports: [UInt16] = []
        for listener in node.listeners where [.tcp, .tls, .tcpUDP].contains(listener.protocol) {
            let port = UInt16(listener.port)
            if !ports.contains(port) { ports.append(port) }
        }
        return ports
    }
}
