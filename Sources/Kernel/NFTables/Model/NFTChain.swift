import CNetlink

/// A base chain lbnet owns: attached to a netfilter hook with a type and priority. Its policy is
/// accept (chains that translate addresses), or drop for the security groups' filter chains,
/// whose rules all accept, so their order does not matter.
public struct NFTChainSpec: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let type: NFTChainType
    public let hook: NFTHook
    public let priority: Int32
    public let policy: NFTChainPolicy

    public init(name: String, type: NFTChainType, hook: NFTHook, priority: Int32, policy: NFTChainPolicy = .accept) {
        self.name = name
        self.type = type
        self.hook = hook
        self.priority = priority
        self.policy = policy
    }

    /// nft's named priorities for the nat hooks.
    public static let destinationNATPriority: Int32 = -100
    /// `mangle`: after conntrack (-200), before destination NAT and the routing decision.
    public static let manglePriority: Int32 = -150
    public static let sourceNATPriority: Int32 = 100

    public var description: String { "chain \(name) { type \(type.rawValue) hook \(hook) priority \(priority); policy \(policy); }" }
}

/// What a base chain does with a packet no rule gave a verdict (`NF_ACCEPT`, `NF_DROP`).
public enum NFTChainPolicy: UInt32, Sendable, CustomStringConvertible {
    case drop = 0
    case accept = 1

    public var description: String { self == .drop ? "drop" : "accept" }
}

/// Chain types (`nft add chain ... { type <type> ... }`).
public enum NFTChainType: String, Sendable {
    case filter
    case nat
    /// An `output` chain whose changes to a packet's mark (or addresses) route it again.
    case route
}

/// The IPv4 netfilter hooks (`enum nf_inet_hooks`).
public enum NFTHook: UInt32, Sendable, CustomStringConvertible {
    case prerouting = 0
    case input = 1
    case forward = 2
    case output = 3
    case postrouting = 4

    public var description: String {
        switch self {
        case .prerouting: "prerouting"
        case .input: "input"
        case .forward: "forward"
        case .output: "output"
        case .postrouting: "postrouting"
        }
    }
}

/// A chain as read back from the kernel. `spec` is `nil` for a regular (hookless) chain (lbnet
/// never makes one).
public struct NFTChainState: Hashable, Sendable {
    public let name: String
    public let handle: UInt64
    public let spec: NFTChainSpec?

    public init(name: String, handle: UInt64, spec: NFTChainSpec?) {
        self.name = name
        self.handle = handle
        self.spec = spec
    }
}
