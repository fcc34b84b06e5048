import Kernel

/// A state file resolved for one state directory: its topology (with the load balancer nodes
/// and interface endpoints as hosts), the NLB nodes with their Elastic IPs and endpoint
/// connections, the interface endpoints, and the Elastic IP allocations that include them.
public struct DeploymentModel: Sendable {
    public let text: String
    public let file: StateFile
    public let topology: Topology
    public let networkLoadBalancerNodes: [NetworkLoadBalancerNode]
    public let elasticIPs: ElasticIPRecord
    /// Every PrivateLink interface endpoint's network interface, in file order.
    public let interfaceEndpoints: [InterfaceEndpoint]

    /// Resolves `text`, allocating Elastic IPs on top of `record` (nothing is written here);
    /// `previous` is the state file applied before, for the rules that depend on it.
    public static func resolve(_ text: String, source: String, record: ElasticIPRecord, previous: StateFile? = nil) throws -> DeploymentModel {
        let file = try StateFileLoader.parse(text, source: source, previous: previous)
        var topology = file.resolve()
        var taken = LoadBalancerNodePlacement.reservedAddresses(file: file, topology: topology)
        let nodeHosts = LoadBalancerNodePlacement.hosts(file: file, topology: topology, taken: &taken)
        let known = Set(topology.hosts.map(\.name))
        if let clash = nodeHosts.first(where: { known.contains($0.name) }), case .loadBalancerNode(let balancer) = clash.kind {
            throw DeploymentError.hostNameTaken(clash.name, loadBalancer: balancer)
        }
        topology.hosts += nodeHosts
        var nodes = NetworkLoadBalancerPlacement.nodes(file: file, topology: topology, hosts: nodeHosts)
        let endpoints = try InterfaceEndpointPlacement.endpoints(file: file, topology: topology, nodes: nodes, taken: &taken)
        topology.hosts += endpoints.map(\.host)
        for index in nodes.indices {
            nodes[index].endpointConnections = endpoints.filter { $0.providerNode == nodes[index].name }
        }

        var requests = file.elasticIps.map { ElasticIPAllocator.Request(name: $0.name, address: $0.address) }
        for name in nodes.compactMap(\.elasticIPName) where !requests.contains(where: { $0.name == name }) {
            requests.append(.init(name: name))
        }
        let allocations = try ElasticIPAllocator.allocate(requests, pool: topology.elasticIpPool, record: record)
        for index in nodes.indices {
            nodes[index].elasticIP = nodes[index].elasticIPName.flatMap { allocations.allocations[$0] }
        }
        return DeploymentModel(text: text, file: file, topology: topology, networkLoadBalancerNodes: nodes, elasticIPs: allocations,
                               interfaceEndpoints: endpoints)
    }

    /// The Elastic IPs in use, with the VPC whose gateway translates them.
    public var elasticIPsByVPC: [(vpc: String, address: IPv4Address)] {
        networkLoadBalancerNodes.compactMap { node in node.elasticIP.map { (node.host.vpc, $0.address) } }
    }
}
