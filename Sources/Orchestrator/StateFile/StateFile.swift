import Kernel

/// The desired topology as written in a state file: every section, exactly as declared.
///
/// Property names are the file's keys. A `StateFile` coming from `StateFileLoader` has passed validation.
public struct StateFile: Sendable, Equatable {
    /// The pool Elastic IPs come from when `elasticIpPool` is not set.
    public static let defaultElasticIpPool = IPv4Network(IPv4Address(198, 51, 100, 0), prefixLength: 24)!

    public var elasticIpPool: IPv4Network
    public var vpcs: [VPC]
    public var instances: [Instance]
    public var elasticIps: [ElasticIP]
    public var loadBalancers: [LoadBalancer]
    public var targetGroups: [TargetGroup]
    public var endpointServices: [EndpointService]
    public var vpcEndpoints: [VPCEndpoint]
    public var certificates: [Certificate]
    public var securityGroups: [SecurityGroup]

    public init(
        elasticIpPool: IPv4Network = StateFile.defaultElasticIpPool,
        vpcs: [VPC] = [],
        instances: [Instance] = [],
        elasticIps: [ElasticIP] = [],
        loadBalancers: [LoadBalancer] = [],
        targetGroups: [TargetGroup] = [],
        endpointServices: [EndpointService] = [],
        vpcEndpoints: [VPCEndpoint] = [],
        certificates: [Certificate] = [],
        securityGroups: [SecurityGroup] = []
    ) {
        self.elasticIpPool = elasticIpPool
        self.vpcs = vpcs
        self.instances = instances
        self.elasticIps = elasticIps
        self.loadBalancers = loadBalancers
        self.targetGroups = targetGroups
        self.endpointServices = endpointServices
        self.vpcEndpoints = vpcEndpoints
        self.certificates = certificates
        self.securityGroups = securityGroups
    }
}
