import Kernel

extension StateFile {
    /// A VPC security group, EC2's `SecurityGroup`: a stateful firewall on every network interface
    /// that has it. Traffic is allowed when a rule of any of the interface's groups allows it;
    /// replies to allowed flows always pass.
    public struct SecurityGroup: Sendable, Equatable {
        /// The name of the group every VPC has, whether the file declares it or not.
        public static let defaultName = "default"

        public var name: String
        public var vpc: String
        /// EC2's `GroupName` when it differs from `name` (the AWS API names the groups it creates
        /// by their `sg-` ID and keeps the name the client gave here).
        public var groupName: String?
        /// EC2's `GroupDescription`.
        public var description: String?
        /// Inbound rules (EC2's `IpPermissions`); a new group has none.
        public var ingress: [SecurityGroupRule]
        /// Outbound rules (EC2's `IpPermissionsEgress`); `nil` is AWS's default for a new group,
        /// all traffic to `0.0.0.0/0`.
        public var egress: [SecurityGroupRule]?

        public init(name: String, vpc: String, description: String? = nil, groupName: String? = nil, ingress: [SecurityGroupRule] = [],
                    egress: [SecurityGroupRule]? = nil) {
            self.name = name
            self.groupName = groupName
            self.vpc = vpc
            self.description = description
            self.ingress = ingress
            self.egress = egress
        }

        /// The outbound rules in force: the declared ones, or AWS's default.
        public var effectiveEgress: [SecurityGroupRule] { egress ?? [.allTraffic(to: .cidr(.anywhere))] }

        /// The `default` group AWS creates with a VPC: members reach each other, all traffic leaves.
        public static func implicitDefault(vpc: String) -> SecurityGroup {
            SecurityGroup(name: defaultName, vpc: vpc, description: "default VPC security group",
                          ingress: [.allTraffic(to: .securityGroup(defaultName))])
        }
    }

    /// One rule of a security group, EC2's `IpPermission` with one peer: a protocol, a port range
    /// (ICMP: type and code) and a CIDR block or another group of the same VPC.
    public struct SecurityGroupRule: Sendable, Equatable {
        /// `tcp`, `udp`, `icmp`, `-1` (all) or a protocol number, as written.
        public var ipProtocol: String
        /// TCP/UDP: the first port; ICMP: the type (`-1`: all). Ignored for other protocols, as AWS does.
        public var fromPort: Int?
        /// TCP/UDP: the last port; ICMP: the code (`-1`: all).
        public var toPort: Int?
        /// The source (ingress) or destination (egress).
        public var peer: SecurityGroupPeer
        public var description: String?

        public init(ipProtocol: String, fromPort: Int? = nil, toPort: Int? = nil, peer: SecurityGroupPeer,
                    description: String? = nil) {
            self.ipProtocol = ipProtocol
            self.fromPort = fromPort
            self.toPort = toPort
            self.peer = peer
            self.description = description
        }

        /// `-1` to or from `peer`.
        public static func allTraffic(to peer: SecurityGroupPeer) -> SecurityGroupRule {
            SecurityGroupRule(ipProtocol: SecurityGroupProtocol.allName, peer: peer)
        }

        /// The protocol `ipProtocol` names, `nil` when it names none.
        public var protocolValue: SecurityGroupProtocol? { SecurityGroupProtocol(ipProtocol) }
    }

    /// Where a rule's traffic comes from or goes to: `cidrIp`, or `sourceSecurityGroup` /
    /// `destinationSecurityGroup` (the addresses of that group's members).
    public enum SecurityGroupPeer: Sendable, Equatable {
        case cidr(IPv4Network)
        case securityGroup(String)
    }
}

extension IPv4Network {
    /// `0.0.0.0/0`.
    public static let anywhere = IPv4Network(IPv4Address(0), prefixLength: 0)!
}

/// The protocol of a security group rule, from EC2's `IpProtocol` text.
public enum SecurityGroupProtocol: Sendable, Equatable {
    /// `-1`: every protocol, every port.
    case all
    case tcp
    case udp
    case icmp
    /// Any other IP protocol number; ports do not apply.
    case number(UInt8)

    public static let allName = "-1"

    /// `tcp`, `udp`, `icmp` (any case), `-1`, or a number 0–255 (6, 17 and 1 are TCP, UDP and ICMP).
    public init?(_ text: String) {
        switch text.lowercased() {
        case "-1": self = .all
        case "tcp", "6": self = .tcp
        case "udp", "17": self = .udp
        case "icmp", "1": self = .icmp
        default:
            guard let number = UInt8(text) else { return nil }
            self = .number(number)
        }
    }

    /// The IP protocol number; `nil` for all protocols.
    public var number: UInt8? {
        switch self {
        case .all: nil
        case .tcp: 6
        case .udp: 17
        case .icmp: 1
        case .number(let number): number
        }
    }

    /// Whether `fromPort` and `toPort` are a port range (TCP, UDP).
    public var hasPorts: Bool { self == .tcp || self == .udp }
}
