extension StateFile {
    /// A PrivateLink endpoint service: network load balancers that consumer VPCs reach through endpoints.
    public struct EndpointService: Sendable, Equatable {
        public static let defaultAllowedPrincipals = ["*"]

        public var name: String
        public var networkLoadBalancers: [String]
        public var acceptanceRequired: Bool
        /// IAM principals (ARNs) allowed to connect; `*` allows everyone.
        public var allowedPrincipals: [String]
        /// Names of VPC endpoints the provider accepted; used when `acceptanceRequired` is set.
        public var acceptedEndpoints: [String]

        public init(
            name: String, networkLoadBalancers: [String], acceptanceRequired: Bool = false,
            allowedPrincipals: [String] = EndpointService.defaultAllowedPrincipals, acceptedEndpoints: [String] = []
        ) {
            self.name = name
            self.networkLoadBalancers = networkLoadBalancers
            self.acceptanceRequired = acceptanceRequired
            self.allowedPrincipals = allowedPrincipals
            self.acceptedEndpoints = acceptedEndpoints
        }
    }
}
