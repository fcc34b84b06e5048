extension StateFile {
    /// An interface endpoint: a host in consumer subnets that reaches an endpoint service.
    public struct VPCEndpoint: Sendable, Equatable {
        public var name: String
        public var vpcEndpointType: VPCEndpointType
        public var serviceName: String
        public var vpc: String
        public var subnets: [String]
        /// The IAM principal creating the endpoint; `nil` is the service's owner.
        public var principal: String?
        /// Names of security groups of the endpoint's VPC; empty: the VPC's `default` group.
        public var securityGroups: [String]

        public init(
            name: String, vpcEndpointType: VPCEndpointType = .interface, serviceName: String, vpc: String,
            subnets: [String], principal: String? = nil, securityGroups: [String] = []
        ) {
            self.name = name
            self.vpcEndpointType = vpcEndpointType
            self.serviceName = serviceName
            self.vpc = vpc
            self.subnets = subnets
            self.principal = principal
            self.securityGroups = securityGroups
        }
    }

    /// The kind of a VPC endpoint; lbnet supports interface endpoints only.
    public enum VPCEndpointType: String, Sendable, Equatable, CaseIterable {
        case interface = "Interface"
    }
}
