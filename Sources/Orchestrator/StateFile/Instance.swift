import Kernel

extension StateFile {
    /// A host in a subnet running a command, its user data (a shell script), or lbnet's built-in
    /// target server. The EC2 fields (`imageId`, `instanceType`, `cpuCredits`, the API
    /// protections and the `RunInstances` client token) are recorded and answered as given.
    public struct Instance: Sendable, Equatable {
        /// The port the built-in target server listens on when `port` is not set.
        public static let defaultPort = 8080
        /// What EC2 shows for an instance that names no image.
        public static let defaultImageId = "ami-00000000000000000"
        /// Whether `text` has an AMI ID's shape: `ami-` and 8 or 17 hex digits.
        public static func isImageId(_ text: String) -> Bool {
            text.hasPrefix("ami-") && [8, 17].contains(text.count - 4) && text.dropFirst(4).allSatisfy(\.isHexDigit)
        }

        /// EC2's type for a launch that names none.
        public static let defaultInstanceType = "m1.small"

        public var name: String
        public var subnet: String
        /// The fixed address; `nil` lets lbnet pick one.
        public var address: IPv4Address?
        /// The command line to run; `nil` runs the user data or the built-in target server.
        public var run: [String]?
        public var port: Int
        /// Whether the built-in target server serves HTTPS (a certificate from lbnet's local CA)
        /// instead of HTTP, for `HTTPS` target groups.
        public var tls: Bool
        /// The AMI named at launch (recorded: lbnet instances run the host's own system).
        public var imageId: String?
        /// One of ``InstanceType/known``.
        public var instanceType: String?
        /// `standard` or `unlimited` for a burstable type; `nil` is the type's default.
        public var cpuCredits: String?
        /// A shell script run as the instance's workload (see ``UserDataScript``).
        public var userData: String?
        /// `TerminateInstances` refuses the instance while this is set.
        public var disableApiTermination: Bool
        /// `StopInstances` would refuse the instance while this is set.
        public var disableApiStop: Bool
        /// The `RunInstances` client token that launched it (a retry with it launches nothing new).
        public var clientToken: String?
        /// Names of security groups of the instance's VPC; empty: the VPC's `default` group.
        public var securityGroups: [String]

        public init(
            name: String, subnet: String, address: IPv4Address? = nil, run: [String]? = nil,
            port: Int = Instance.defaultPort, imageId: String? = nil, instanceType: String? = nil, cpuCredits: String? = nil,
            userData: String? = nil, disableApiTermination: Bool = false, disableApiStop: Bool = false, clientToken: String? = nil,
            securityGroups: [String] = [], tls: Bool = false
        ) {
            self.name = name
            self.subnet = subnet
            self.address = address
            self.run = run
            self.port = port
            self.tls = tls
            self.imageId = imageId
            self.instanceType = instanceType
            self.cpuCredits = cpuCredits
            self.userData = userData
            self.disableApiTermination = disableApiTermination
            self.disableApiStop = disableApiStop
            self.clientToken = clientToken
            self.securityGroups = securityGroups
        }
    }
}
