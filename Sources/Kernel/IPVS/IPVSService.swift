/// An IPVS virtual service: an IPv4 address, port and protocol clients connect to, with its
/// scheduler settings. Two services with the same `id` are the same kernel object; any other
/// difference between them (scheduler, flags, timeout) is an update.
public struct IPVSService: Hashable, Sendable, CustomStringConvertible {
    public var `protocol`: IPVSProtocol
    public var address: IPv4Address
    public var port: UInt16
    public var scheduler: IPVSScheduler
    public var flags: IPVSSchedulerFlags
    /// Persistence timeout in seconds; 0 turns persistence off.
    public var timeout: UInt32

    public init(_ protocol: IPVSProtocol, address: IPv4Address, port: UInt16,
                scheduler: IPVSScheduler = .sourceHash, flags: IPVSSchedulerFlags = [], timeout: UInt32 = 0) {
        self.protocol = `protocol`
        self.address = address
        self.port = port
        self.scheduler = scheduler
        self.flags = flags
        self.timeout = timeout
    }

    /// What identifies a service in the kernel: protocol, address and port.
    public struct ID: Hashable, Comparable, Sendable, CustomStringConvertible {
        public let `protocol`: IPVSProtocol
        public let address: IPv4Address
        public let port: UInt16

        public var description: String { "\(`protocol`) \(address):\(port)" }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.protocol, lhs.address, lhs.port) < (rhs.protocol, rhs.address, rhs.port)
        }
    }

    public var id: ID { ID(protocol: `protocol`, address: address, port: port) }

    /// `TCP 10.0.1.254:80`, as used in error messages.
    public var description: String { id.description }
}
