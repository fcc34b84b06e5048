/// Deterministic names of everything lbnet creates. Namespaces are `PREFIX-HOST` for hosts and
/// `PREFIX-vpc.VPC` for VPC routers (host names cannot contain dots, so the two never clash).
/// Interface names are local to their namespace and fit the kernel's 15 bytes: readable when
/// the object's name fits, a stable hash otherwise.
public struct Naming: Sendable, Equatable {
    /// Every namespace name starts with this; `lbnet` unless tests choose a throwaway one.
    public let prefix: String

    public static let defaultPrefix = "lbnet"
    public static let maximumInterfaceNameBytes = 15
    public static let hostInterface = "eth0"
    public static let internetHost = "internet"

    public init(prefix: String = Naming.defaultPrefix) { self.prefix = prefix }

    public func hostNamespace(_ host: String) -> String { "\(prefix)-\(host)" }
    public func routerNamespace(vpc: String) -> String { "\(prefix)-vpc.\(vpc)" }
    public var internetNamespace: String { hostNamespace(Self.internetHost) }

    /// The bridge of a subnet inside its VPC's router namespace.
    public static func bridge(subnet: String) -> String { interfaceName("br-", subnet) }

    /// The router-side end of a host's veth, enslaved to its subnet's bridge.
    public static func hostPort(host: String) -> String { interfaceName("v-", host) }

    /// A VPC router's end of its link to the `internet` namespace.
    public static let internetGateway = "igw"

    /// An interface endpoint's end of its PrivateLink transit link.
    public static let privateLinkInterface = "pl0"

    /// A provider NLB node's end of the transit link of endpoint interface `endpoint`.
    public static func privateLinkPort(endpoint: String) -> String { interfaceName(privateLinkPortPrefix, endpoint) }
    public static let privateLinkPortPrefix = "pl-"

    /// The `internet` namespace's end of its link to VPC `vpc`.
    public static func internetPort(vpc: String) -> String { interfaceName("to-", vpc) }

    /// `tag + name` when it fits in 15 bytes, else `tag` plus a 12-hex-digit hash of `name`.
    static func interfaceName(_ tag: String, _ name: String) -> String {
        let plain = tag + name
        if plain.utf8.count <= maximumInterfaceNameBytes { return plain }
        return tag + String(StableHash.fnv1a64(name) & 0xffff_ffff_ffff, radix: 16).leftPadded(to: 12)
    }
}

/// FNV-1a: a fixed, dependency-free hash for names that must be the same on every run.
enum StableHash {
    static func fnv1a64(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
