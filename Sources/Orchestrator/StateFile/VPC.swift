import Kernel

extension StateFile {
    /// A VPC: an address range split into subnets, each in one availability zone.
    public struct VPC: Sendable, Equatable {
        public var name: String
        public var cidr: IPv4Network
        public var subnets: [Subnet]

        public init(name: String, cidr: IPv4Network, subnets: [Subnet] = []) {
            self.name = name
            self.cidr = cidr
            self.subnets = subnets
        }
    }

    /// A subnet of a VPC, placed in one availability zone.
    public struct Subnet: Sendable, Equatable {
        public var name: String
        public var az: String
        public var cidr: IPv4Network

        public init(name: String, az: String, cidr: IPv4Network) {
            self.name = name
            self.az = az
            self.cidr = cidr
        }
    }
}
