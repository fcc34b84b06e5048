/// How IPVS forwards packets to a destination (`IP_VS_CONN_F_*` forwarding methods).
public enum IPVSForwarding: UInt32, Hashable, Sendable, CustomStringConvertible {
    /// NAT: the destination address is rewritten; replies must come back through the balancer.
    case masquerade = 0
    case local = 1
    /// IP-in-IP encapsulation.
    case tunnel = 2
    /// Direct routing: the frame is sent to the destination unchanged (same L2 segment).
    case directRoute = 3

    public var description: String {
        switch self {
        case .masquerade: "masquerade"
        case .local: "local"
        case .tunnel: "tunnel"
        case .directRoute: "direct-route"
        }
    }
}

/// Connection counts of a destination as a dump reported them.
public struct IPVSConnectionCounters: Hashable, Sendable {
    public var activeConnections: UInt32
    public var inactiveConnections: UInt32

    public init(activeConnections: UInt32 = 0, inactiveConnections: UInt32 = 0) {
        self.activeConnections = activeConnections
        self.inactiveConnections = inactiveConnections
    }
}

/// A real server behind an IPVS service.
///
/// Equality and hashing cover only what lbnet programs (address, port, weight, forwarding):
/// `counters` are observations that change with traffic, so a destination read back from the
/// kernel equals the one that was configured, and diffing never sees counters as a change.
public struct IPVSDestination: Hashable, Sendable, CustomStringConvertible {
    public var address: IPv4Address
    public var port: UInt16
    public var weight: UInt32
    public var forwarding: IPVSForwarding
    /// Filled in by dumps; ignored by `==`, hashing and the planner.
    public var counters: IPVSConnectionCounters

    public init(address: IPv4Address, port: UInt16, weight: UInt32 = 1, forwarding: IPVSForwarding = .masquerade,
                counters: IPVSConnectionCounters = IPVSConnectionCounters()) {
        self.address = address
        self.port = port
        self.weight = weight
        self.forwarding = forwarding
        self.counters = counters
    }

    /// What identifies a destination within its service: address and port.
    public struct ID: Hashable, Comparable, Sendable, CustomStringConvertible {
        public let address: IPv4Address
        public let port: UInt16

        public var description: String { "\(address):\(port)" }

        public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.address, lhs.port) < (rhs.address, rhs.port) }
    }

    public var id: ID { ID(address: address, port: port) }

    /// `10.0.1.11:8080`, as used in error messages.
    public var description: String { id.description }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.address == rhs.address && lhs.port == rhs.port && lhs.weight == rhs.weight && lhs.forwarding == rhs.forwarding
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(address)
        hasher.combine(port)
        hasher.combine(weight)
        hasher.combine(forwarding)
    }
}
