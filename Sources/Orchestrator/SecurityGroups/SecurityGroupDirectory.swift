import Kernel

/// The security groups of a state file as AWS holds them: every declared group, plus each VPC's
/// implicit `default` group where the file does not declare it, and the groups each network
/// interface has with AWS's defaults (an instance, an application load balancer or an interface
/// endpoint without `securityGroups` is in its VPC's `default` group; a network load balancer
/// without them has none).
public struct SecurityGroupDirectory: Sendable {
    /// Groups by VPC, then name.
    public let groups: [String: [String: StateFile.SecurityGroup]]
    private let file: StateFile
    private let endpointOfInterface: [String: String]

    /// `interfaceEndpoints` maps each endpoint interface's host to its `vpcEndpoints` entry.
    public init(file: StateFile, interfaceEndpoints: [InterfaceEndpoint] = []) {
        var groups: [String: [String: StateFile.SecurityGroup]] = [:]
        for vpc in file.vpcs {
            groups[vpc.name] = [StateFile.SecurityGroup.defaultName: .implicitDefault(vpc: vpc.name)]
        }
        for group in file.securityGroups {
            groups[group.vpc, default: [:]][group.name] = group
        }
        self.groups = groups
        self.file = file
        endpointOfInterface = Dictionary(interfaceEndpoints.map { ($0.name, $0.endpoint) }, uniquingKeysWith: { first, _ in first })
    }

    public func loadBalancer(named name: String) -> StateFile.LoadBalancer? { file.loadBalancers.first { $0.name == name } }

    public func group(_ name: String, vpc: String) -> StateFile.SecurityGroup? { groups[vpc]?[name] }

    /// The names of the groups `host` has, in the order declared; empty: no filtering at all.
    public func attached(to host: Topology.Host) -> [String] {
        let defaultGroup = [StateFile.SecurityGroup.defaultName]
        switch host.kind {
        case .instance:
            let declared = file.instances.first { $0.name == host.name }?.securityGroups ?? []
            return declared.isEmpty ? defaultGroup : declared
        case .loadBalancerNode(let name):
            guard let balancer = file.loadBalancers.first(where: { $0.name == name }) else { return [] }
            if !balancer.securityGroups.isEmpty { return balancer.securityGroups }
            return balancer.type == .application ? defaultGroup : []
        case .endpoint:
            let endpoint = endpointOfInterface[host.name].flatMap { name in file.vpcEndpoints.first { $0.name == name } }
            let declared = endpoint?.securityGroups ?? []
            return declared.isEmpty ? defaultGroup : declared
        }
    }
}
