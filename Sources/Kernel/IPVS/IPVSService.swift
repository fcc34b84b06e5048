/// An IPVS virtual service: an IPv4 address, port and protocol clients connect to, or a
/// firewall mark the packets it balances carry, with its scheduler settings. Two services with
/// the same `id` are the same kernel object; any other difference between them (scheduler,
/// flags, timeout) is an update.
public struct IPVSService: Hashable, Sendable, CustomStringConvertible {
    public var `protocol`: IPVSProtocol
    public var address: IPv4Address
    public var port: UInt16
    public var scheduler: IPVSScheduler
    public var flags: IPVSSchedulerFlags
    /// Persistence timeout in seconds; 0 turns persistence off.
    public var timeout: UInt32
    /// Set for a firewall-mark service: it balances the packets that carry this mark, whatever
    /// their protocol, address and port (which are then TCP, 0.0.0.0 and 0).
    public var firewallMark: UInt32?

    public init(_ protocol: IPVSProtocol, address: IPv4Address, port: UInt16,
                scheduler: IPVSScheduler = .sourceHash, flags: IPVSSchedulerFlags = [], timeout: UInt32 = 0) {
        self.protocol = `protocol`
        self.address = address
        self.port = port
        self.scheduler = scheduler
        self.flags = flags
        self.timeout = timeout
    }

    /// A firewall-mark service (`ipvsadm -f MARK`).
    public init(firewallMark: UInt32, scheduler: IPVSScheduler = .sourceHash, flags: IPVSSchedulerFlags = [], timeout: UInt32 = 0) {
        self.init(.tcp, address: IPv4Address(0, 0, 0, 0), port: 0, scheduler: scheduler, flags: flags, timeout: timeout)
        self.firewallMark = firewallMark
    }

    /// What identifies a service in the kernel: protocol, address and port, or the firewall mark.
    public struct ID: Hashable, Comparable, Sendable, CustomStringConvertible {
        public let `protocol`: IPVSProtocol
        public let address: IPv4Address
        public let port: UInt16
        public let firewallMark: UInt32?

        public var description: String {
            firewallMark.map { "FWM \($0)" } ?? "\(`protocol`) \(address):\(port)"
        }

        /// Address services first, then firewall-mark services by mark.
        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.firewallMark ?? 0, lhs.protocol, lhs.address, lhs.port) < (rhs.firewallMark ?? 0, rhs.protocol, rhs.address, rhs.port)
        }
    }

    public var id: ID { ID(protocol: `protocol`, address: address, port: port, firewallMark: firewallMark) }

    /// `TCP 10.0.1.254:80` or `FWM 1279394235`, as used in error messages.
    public var description: String { id.description }
}
