import Kernel

/// What the kernel must hold for a topology: every namespace lbnet owns, with its links,
/// addresses, routes and sysctls, the load balancers' datapaths, and the processes that run
/// inside them.
public struct FabricSpec: Sendable, Equatable {
    public var namespaces: [NamespaceSpec]
    public var processes: [ProcessSpec]
    /// The L4 datapath of every NLB node.
    public var nodeDatapaths: [NodeDatapathSpec]
    /// The 1:1 NAT of every VPC internet gateway with Elastic IPs.
    public var gateways: [GatewayNATSpec]
    /// The NAT of every PrivateLink interface endpoint.
    public var endpoints: [EndpointDatapathSpec] = []
    /// The security groups of every network interface that has any.
    public var securityGroups: [InterfaceSecurityGroups] = []
    /// The return path to the NLB nodes of every VPC router that has any: namespace to nodes.
    var returnPaths: [String: [ReturnPath.Node]] = [:]
    /// Each NLB node namespace's transit links to PrivateLink endpoints (`PrivateLinkReturnPath`).
    var privateLinkReturnPaths: [String: [PrivateLinkReturnPath.Link]] = [:]
    /// The configuration file of every ALB node.
    public var proxyConfigurations: [ProxyConfigurationSpec] = []
    /// Whether the kernel has IPVS: node datapaths are resolved with it, and IPVS services are
    /// observed and planned only where it exists.
    public var ipvsAvailable = false

    public init(namespaces: [NamespaceSpec] = [], processes: [ProcessSpec] = [],
                nodeDatapaths: [NodeDatapathSpec] = [], gateways: [GatewayNATSpec] = []) {
        self.namespaces = namespaces
        self.processes = processes
        self.nodeDatapaths = nodeDatapaths
        self.gateways = gateways
    }

    public func namespace(_ name: String) -> NamespaceSpec? { namespaces.first { $0.name == name } }
}

/// One network namespace as it should be.
public struct NamespaceSpec: Sendable, Equatable {
    public let name: String
    public var links: [LinkSpec]
    public var addresses: [AddressSpec]
    public var routes: [RouteSpec]
    /// Policy routing rules (firewall mark to table), beside the kernel's own.
    public var rules: [RoutingRule]
    /// Keys such as `net.ipv4.ip_forward`, with the value to write.
    public var sysctls: [String: String]

    public init(name: String, links: [LinkSpec] = [LinkSpec(name: "lo", kind: .loopback)],
                addresses: [AddressSpec] = [], routes: [RouteSpec] = [], rules: [RoutingRule] = [], sysctls: [String: String] = [:]) {
        self.name = name
        self.links = links
        self.addresses = addresses
        self.routes = routes
        self.rules = rules
        self.sysctls = sysctls
    }

    public func link(_ name: String) -> LinkSpec? { links.first { $0.name == name } }
}

/// A link that must exist, up, in its namespace.
public struct LinkSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case loopback
        case bridge
        /// This end creates the pair; the other end is `peerName` in `peerNamespace`.
        case veth(peerNamespace: String, peerName: String)
        /// The far end of a pair created from `ownerNamespace`'s `ownerName`.
        case vethPeer(ownerNamespace: String, ownerName: String)
    }

    public let name: String
    public let kind: Kind
    /// The bridge this link is enslaved to, in the same namespace.
    public let master: String?

    public init(name: String, kind: Kind, master: String? = nil) {
        self.name = name
        self.kind = kind
        self.master = master
    }

    /// The kernel's `IFLA_INFO_KIND` for this link (`nil` for loopback, which has none).
    var kernelKind: String? {
        switch kind {
        case .loopback: nil
        case .bridge: "bridge"
        case .veth, .vethPeer: "veth"
        }
    }
}

/// An IPv4 address on a named interface.
public struct AddressSpec: Sendable, Hashable, CustomStringConvertible {
    public let interface: String
    public let address: IPv4Interface
    /// Without the route to its subnet (`noprefixroute`): a host reaches even its own subnet
    /// through its gateway, as every packet of an EC2 instance crosses the VPC's router.
    public let noPrefixRoute: Bool

    public init(interface: String, address: IPv4Interface, noPrefixRoute: Bool = false) {
        self.interface = interface
        self.address = address
        self.noPrefixRoute = noPrefixRoute
    }

    public var description: String { "\(address)\(noPrefixRoute ? " noprefixroute" : "") on \(interface)" }
}

/// A route: to `destination`, via `gateway` or directly out of `device`, in the main table
/// unless `table` says otherwise.
public struct RouteSpec: Sendable, Hashable, CustomStringConvertible {
    public let destination: IPv4Network
    public let gateway: IPv4Address?
    public let device: String?
    public let table: UInt32
    /// The gateway is on `device`'s link though no address there covers it (`onlink`).
    public let gatewayOnLink: Bool
    /// Type `local`: what it matches is delivered to the namespace itself.
    public let isLocal: Bool

    public init(destination: IPv4Network, gateway: IPv4Address? = nil, device: String? = nil,
                table: UInt32 = UInt32(RouteConstants.tableMain), gatewayOnLink: Bool = false, isLocal: Bool = false) {
        self.destination = destination
        self.gateway = gateway
        self.device = device
        self.table = table
        self.gatewayOnLink = gatewayOnLink
        self.isLocal = isLocal
    }

    /// `0.0.0.0/0`, the destination of default routes.
    public static let defaultDestination = IPv4Network(IPv4Address(0), prefixLength: 0)!

    public static func defaultRoute(via gateway: IPv4Address) -> RouteSpec {
        RouteSpec(destination: defaultDestination, gateway: gateway)
    }

    /// A link route to one address: `address/32 dev device`.
    public static func hostRoute(_ address: IPv4Address, device: String) -> RouteSpec {
        RouteSpec(destination: IPv4Network(address, prefixLength: 32)!, device: device)
    }

    public var description: String {
        let target = destination.prefixLength == 0 ? "default" : destination.description
        var text = isLocal ? "local \(target)" : target
        if let gateway { text += " via \(gateway)" }
        if let device { text += " dev \(device)" }
        if gatewayOnLink { text += " onlink" }
        if table != UInt32(RouteConstants.tableMain) { text += " table \(table)" }
        return text
    }
}

/// A long-running process lbnet keeps alive inside a namespace (`nil`: lbnet's own namespace).
public struct ProcessSpec: Sendable, Hashable, Codable {
    public let name: String
    public let namespace: String?
    public let arguments: [String]
    /// The process's standard input (an instance's user data), else `/dev/null`.
    public let input: String?
    /// The unprivileged user the process runs as; `nil` runs it as root, like lbnet.
    public let user: ProcessUser?
    /// The nameserver of the process's `/etc/resolv.conf` (an instance's: its subnet's gateway,
    /// where the DNS answerer listens); `nil` keeps the host's file.
    public let nameserver: String?

    public init(name: String, namespace: String?, arguments: [String], input: String? = nil, user: ProcessUser? = nil,
                nameserver: String? = nil) {
        self.name = name
        self.namespace = namespace
        self.arguments = arguments
        self.input = input
        self.user = user
        self.nameserver = nameserver
    }
}
