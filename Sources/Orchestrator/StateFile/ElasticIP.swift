import Kernel

extension StateFile {
    /// A public address from `elasticIpPool` that a subnet mapping can attach to a load balancer node.
    public struct ElasticIP: Sendable, Equatable {
        public var name: String
        /// The fixed address; `nil` lets lbnet pick one from the pool.
        public var address: IPv4Address?

        public init(name: String, address: IPv4Address? = nil) {
            self.name = name
            self.address = address
        }
    }
}
