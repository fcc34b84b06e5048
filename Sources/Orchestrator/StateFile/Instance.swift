import Kernel

extension StateFile {
    /// A host in a subnet running either a command or lbnet's built-in target server.
    public struct Instance: Sendable, Equatable {
        /// The port the built-in target server listens on when `port` is not set.
        public static let defaultPort = 8080

        public var name: String
        public var subnet: String
        /// The fixed address; `nil` lets lbnet pick one.
        public var address: IPv4Address?
        /// The command line to run; `nil` runs the built-in target server.
        public var run: [String]?
        public var port: Int

        public init(
            name: String, subnet: String, address: IPv4Address? = nil, run: [String]? = nil,
            port: Int = Instance.defaultPort
        ) {
            self.name = name
            self.subnet = subnet
            self.address = address
            self.run = run
            self.port = port
        }
    }
}
