/// What the security groups of one network interface allow, in the interface's namespace: the
/// union of its groups' inbound and outbound rules, the member addresses of every group those
/// rules name, and the interfaces whose traffic is not the interface's own (loopback always;
/// PrivateLink links where AWS does not evaluate the rules).
public struct SecurityGroupFilterSpec: Hashable, Sendable {
    /// The groups of the interface, by name (for descriptions).
    public let groups: [String]
    public let ingress: [SecurityGroupFilterRule]
    public let egress: [SecurityGroupFilterRule]
    /// The addresses of the members of each group a rule names, by group name.
    public let groupMembers: [String: [IPv4Address]]
    /// Interfaces (a name, or a prefix ending in `*`) whose new inbound flows are not filtered.
    public let unfilteredInbound: [String]
    /// Interfaces (a name, or a prefix ending in `*`) whose new outbound flows are not filtered.
    public let unfilteredOutbound: [String]

    public init(groups: [String], ingress: [SecurityGroupFilterRule], egress: [SecurityGroupFilterRule],
                groupMembers: [String: [IPv4Address]], unfilteredInbound: [String] = [], unfilteredOutbound: [String] = []) {
        self.groups = groups
        self.ingress = ingress
        self.egress = egress
        self.groupMembers = groupMembers
        self.unfilteredInbound = unfilteredInbound
        self.unfilteredOutbound = unfilteredOutbound
    }
}

/// One security group rule as the kernel matches it: protocol, ports (or ICMP type and code) and
/// the peer, the source of inbound or the destination of outbound flows.
public struct SecurityGroupFilterRule: Hashable, Sendable, CustomStringConvertible {
    /// Where the rule's traffic comes from (inbound) or goes to (outbound).
    public enum Peer: Hashable, Sendable {
        case network(IPv4Network)
        /// The members of a security group.
        case group(String)
    }

    /// What the rule matches beyond the protocol.
    public enum Ports: Hashable, Sendable {
        case any
        /// A TCP or UDP destination port range.
        case range(ClosedRange<UInt16>)
        /// An ICMP type and code; `nil` is any.
        case icmp(type: UInt8?, code: UInt8?)
    }

    /// The group the rule belongs to, and its position there (from 1), for its comment.
    public let group: String
    public let number: Int
    /// The IP protocol number; `nil`: all protocols.
    public let protocolNumber: UInt8?
    public let ports: Ports
    public let peer: Peer

    public init(group: String, number: Int, protocolNumber: UInt8?, ports: Ports, peer: Peer) {
        self.group = group
        self.number = number
        self.protocolNumber = protocolNumber
        self.ports = ports
        self.peer = peer
    }

    /// `web-sg 1: tcp 8080 10.0.1.0/24`, `default 1: all sg default`.
    public var description: String {
        let proto = switch protocolNumber {
        case nil: "all"
        case 6: "tcp"
        case 17: "udp"
        case 1: "icmp"
        case let number?: "proto \(number)"
        }
        let ports = switch ports {
        case .any: ""
        case .range(let range): range.lowerBound == range.upperBound ? " \(range.lowerBound)" : " \(range.lowerBound)-\(range.upperBound)"
        case .icmp(let type, let code): " type \(type.map(String.init) ?? "any") code \(code.map(String.init) ?? "any")"
        }
        let peer = switch peer {
        case .network(let network): network.description
        case .group(let name): "sg \(name)"
        }
        return "\(group) \(number): \(proto)\(ports) \(peer)"
    }
}
