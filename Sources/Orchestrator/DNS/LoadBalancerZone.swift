import Kernel

/// The names the DNS answerer knows: each load balancer's `DNSName` (as the API describes it)
/// and the addresses AWS's DNS gives it. An internet-facing NLB's name resolves to its Elastic
/// IPs, an internal one's to its nodes' private addresses, an ALB's to its nodes' addresses.
/// As on AWS the answer is the same wherever the question comes from.
struct LoadBalancerZone: Equatable {
    /// The suffixes of AWS's load balancer names: a name under them that is no load balancer's
    /// is answered "no such name"; any other name is refused (lbnet does not recurse).
    static let suffixes = [".elb.amazonaws.com", ".elb.\(AWSIdentity.region).amazonaws.com"]

    private(set) var records: [String: [IPv4Address]] = [:]

    static func of(_ model: DeploymentModel?, identity: AWSIdentity = AWSIdentity()) -> LoadBalancerZone {
        var zone = LoadBalancerZone()
        guard let model else { return zone }
        for balancer in model.file.loadBalancers {
            let addresses: [IPv4Address]
            if balancer.type == .network {
                addresses = model.networkLoadBalancerNodes.filter { $0.loadBalancer == balancer.name }.map { node in
                    balancer.scheme == .internetFacing ? node.elasticIP?.address ?? node.host.address.address : node.host.address.address
                }
            } else {
                addresses = model.topology.hosts.filter { host in
                    if case .loadBalancerNode(let owner) = host.kind { owner == balancer.name } else { false }
                }.map(\.address.address)
            }
            zone.records[identity.dnsName(balancer).lowercased()] = addresses
        }
        return zone
    }

    /// The answer to `query`: its A records, none for another type of a known name, "no such
    /// name" under AWS's load balancer suffixes, refused elsewhere.
    func answer(_ query: DNSQuery) -> (code: DNSAnswer.ResponseCode, addresses: [IPv4Address]) {
        if let addresses = records[query.name] {
            return (.noError, query.type == DNSQuery.typeA && query.class == DNSQuery.classIN ? addresses : [])
        }
        return Self.suffixes.contains { query.name.hasSuffix($0) } ? (.nameError, []) : (.refused, [])
    }
}
