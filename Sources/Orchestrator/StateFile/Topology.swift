import Kernel

/// A state file resolved into what lbnet builds: the VPCs with their subnets' gateways, and every host
/// with its address. Produced by `StateFile.resolve()`.
public struct Topology: Sendable, Equatable {
    public var elasticIpPool: IPv4Network
    public var vpcs: [VPC]
    /// Every host in declaration order: instances now; load balancer nodes and endpoints have their kinds.
    public var hosts: [Host]

    public init(elasticIpPool: IPv4Network, vpcs: [VPC], hosts: [Host]) {
        self.elasticIpPool = elasticIpPool
        self.vpcs = vpcs
        self.hosts = hosts
    }

    public func host(named name: String) -> Host? {
        hosts.first { $0.name == name }
    }

    /// A VPC and its subnets.
    public struct VPC: Sendable, Equatable {
        public var name: String
        public var cidr: IPv4Network
        public var subnets: [Subnet]

        public init(name: String, cidr: IPv4Network, subnets: [Subnet]) {
            self.name = name
            self.cidr = cidr
            self.subnets = subnets
        }
    }

    /// A subnet and the address its hosts route through.
    public struct Subnet: Sendable, Equatable {
        public var name: String
        public var az: String
        public var cidr: IPv4Network
        /// The subnet's first usable address with its prefix, e.g. `10.0.1.1/24`.
        public var gateway: IPv4Interface

        public init(name: String, az: String, cidr: IPv4Network) {
            self.name = name
            self.az = az
            self.cidr = cidr
            gateway = IPv4Interface(address: cidr.address(at: 1), prefixLength: cidr.prefixLength)
        }
    }
}
