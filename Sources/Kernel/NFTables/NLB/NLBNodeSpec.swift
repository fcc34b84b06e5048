/// What one Network Load Balancer node does in its own namespace: for each listener on the
/// node's private address (and its further addresses), spread new flows over the listener's
/// backends by a hash of the client's address and port.
public struct NLBNodeSpec: Hashable, Sendable {
    /// The node's private address, the one listeners accept flows on.
    public let address: IPv4Address
    /// Further addresses the listeners accept flows on, e.g. the node's ends of PrivateLink
    /// transit links.
    public let additionalAddresses: [IPv4Address]
    public let listeners: [NLBListener]
    /// The Jenkins hash seed. Nodes with the same seed and slots send a flow to the same
    /// backend; without an explicit seed the kernel would pick a random one per rule.
    public let seed: UInt32

    public static let defaultSeed: UInt32 = 0x6c62_6e74

    public init(address: IPv4Address, additionalAddresses: [IPv4Address] = [], listeners: [NLBListener],
                seed: UInt32 = NLBNodeSpec.defaultSeed) {
        self.address = address
        self.additionalAddresses = additionalAddresses
        self.listeners = listeners
        self.seed = seed
    }

    /// Every address the listeners accept flows on: the private address first.
    public var addresses: [IPv4Address] { [address] + additionalAddresses }
}

/// A TCP or UDP listener of an NLB node and the backends it forwards to.
public struct NLBListener: Hashable, Sendable {
    public let transport: NLBTransport
    public let port: UInt16
    public let backends: [NLBBackend]
    public let affinity: NLBAffinity
    /// Set for a listener whose clients reach a terminator on the node (a TLS listener): their
    /// flows are not balanced, only the terminator's connections to the listener's port that
    /// carry this firewall mark are.
    public let terminatorMark: UInt32?
    /// Backends see the client's address: the listener's flows on the node's private address
    /// are not source-NATed, so their answers must come back through the node by routing.
    public let preservesClientAddress: Bool

    public init(transport: NLBTransport, port: UInt16, backends: [NLBBackend], affinity: NLBAffinity = .flow,
                terminatorMark: UInt32? = nil, preservesClientAddress: Bool = false) {
        self.transport = transport
        self.port = port
        self.backends = backends
        self.affinity = affinity
        self.terminatorMark = terminatorMark
        self.preservesClientAddress = preservesClientAddress
    }

    /// `backends_<transport>_<port>`, the map of the listener's slots.
    public var mapName: String { "backends_\(transport.rawValue)_\(port)" }
}

/// What a listener's slot hash reads, so which flows share a backend.
public enum NLBAffinity: Hashable, Sendable {
    /// The client's address and port: each flow is placed on its own.
    case flow
    /// The client's address alone: every flow of one client lands on the same backend.
    case sourceAddress
}

/// The transport protocol of a listener.
public enum NLBTransport: String, Hashable, Sendable, CaseIterable {
    case tcp
    case udp

    /// The IP protocol number (`meta l4proto`).
    public var protocolNumber: UInt8 {
        switch self {
        case .tcp: 6
        case .udp: 17
        }
    }
}

/// Where a backend listens: a slot's value in a listener's map.
public struct NLBEndpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let address: IPv4Address
    public let port: UInt16

    public init(address: IPv4Address, port: UInt16) {
        self.address = address
        self.port = port
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.address, lhs.port) < (rhs.address, rhs.port) }

    public var description: String { "\(address):\(port)" }
}

/// A backend of a listener and its weight: its share of slots is its share of the total weight.
/// Weight 0 gives it no slots (draining, unhealthy).
public struct NLBBackend: Hashable, Sendable {
    public let endpoint: NLBEndpoint
    public let weight: UInt32

    public init(endpoint: NLBEndpoint, weight: UInt32) {
        self.endpoint = endpoint
        self.weight = weight
    }

    public init(address: IPv4Address, port: UInt16, weight: UInt32 = 1) {
        self.init(endpoint: NLBEndpoint(address: address, port: port), weight: weight)
    }
}
