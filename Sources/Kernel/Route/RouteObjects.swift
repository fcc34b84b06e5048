import CLibnl
#if canImport(Glibc)
import Glibc
#endif

/// A network interface as the kernel reports it in a link dump.
public struct Link: Sendable, Equatable {
    public let index: Int32
    public let name: String
    public let kind: String?
    public let isUp: Bool
    public let masterIndex: Int32?
    public let mtu: UInt32?
    /// For a veth: the peer's index (in the peer's namespace when `peerInOtherNamespace`).
    public let peerIndex: Int32?
    public let peerInOtherNamespace: Bool

    public init(index: Int32, name: String, kind: String? = nil, isUp: Bool, masterIndex: Int32? = nil, mtu: UInt32? = nil,
                peerIndex: Int32? = nil, peerInOtherNamespace: Bool = false) {
        self.index = index
        self.name = name
        self.kind = kind
        self.isUp = isUp
        self.masterIndex = masterIndex
        self.mtu = mtu
        self.peerIndex = peerIndex
        self.peerInOtherNamespace = peerInOtherNamespace
    }

    /// Reads an `RTM_NEWLINK` message from a dump through libnl's `rtnl_link` object.
    public init?(_ message: NetlinkMessage) {
        guard let link = RouteObject.parse(message, kind: "route/link") else { return nil }
        defer { nl_object_put(link) }
        guard let name = rtnl_link_get_name(link) else { return nil }
        var namespaceID: Int32 = 0
        self.init(index: rtnl_link_get_ifindex(link), name: String(cString: name),
                  kind: rtnl_link_get_type(link).map { String(cString: $0) },
                  isUp: rtnl_link_get_flags(link) & RouteConstants.interfaceUp != 0,
                  masterIndex: RouteObject.present(rtnl_link_get_master(link)),
                  mtu: RouteObject.present(rtnl_link_get_mtu(link)),
                  peerIndex: RouteObject.present(rtnl_link_get_link(link)),
                  peerInOtherNamespace: rtnl_link_get_link_netnsid(link, &namespaceID) == 0)
    }
}

/// An IPv4 address assigned to an interface, as reported by an address dump.
public struct InterfaceAddress: Sendable, Equatable {
    public let interfaceIndex: Int32
    public let address: IPv4Interface
    /// Added without the route to its prefix (`IFA_F_NOPREFIXROUTE`): the namespace reaches
    /// its subnet only through the routes it is given.
    public let noPrefixRoute: Bool

    public init(interfaceIndex: Int32, address: IPv4Interface, noPrefixRoute: Bool = false) {
        self.interfaceIndex = interfaceIndex
        self.address = address
        self.noPrefixRoute = noPrefixRoute
    }

    /// Reads an `RTM_NEWADDR` message from a dump through libnl's `rtnl_addr` object; `nil`
    /// for other families than IPv4.
    public init?(_ message: NetlinkMessage) {
        guard let object = RouteObject.parse(message, kind: "route/addr") else { return nil }
        defer { nl_object_put(object) }
        guard rtnl_addr_get_family(object) == AF_INET, let local = LibnlAddress.ipv4(rtnl_addr_get_local(object)) else { return nil }
        self.init(interfaceIndex: rtnl_addr_get_ifindex(object),
                  address: IPv4Interface(address: local, prefixLength: Int(rtnl_addr_get_prefixlen(object))),
                  noPrefixRoute: UInt32(rtnl_addr_get_flags(object)) & RouteConstants.addressNoPrefixRoute != 0)
    }
}

/// An IPv4 unicast route (or a `local` one, which delivers to this host): destination, optional
/// gateway, optional output interface, in the main table or another one (policy routing).
public struct Route: Sendable, Hashable, CustomStringConvertible {
    public let destination: IPv4Network
    public let gateway: IPv4Address?
    public let outputInterfaceIndex: Int32?
    /// Who installed it (`RTPROT_*`); lbnet's routes are `static`, the kernel's own are `kernel`.
    public let origin: UInt8
    /// The routing table (`RT_TABLE_MAIN` unless a rule sends packets elsewhere).
    public let table: UInt32
    /// The gateway is used on the output interface without a route to it (`onlink`).
    public let gatewayOnLink: Bool
    /// Type `local`: packets it matches are delivered to this host (outside the `local` table,
    /// where the kernel keeps its own).
    public let isLocal: Bool

    public init(destination: IPv4Network, gateway: IPv4Address?, outputInterfaceIndex: Int32? = nil,
                origin: UInt8 = RouteConstants.protocolStatic, table: UInt32 = UInt32(RouteConstants.tableMain),
                gatewayOnLink: Bool = false, isLocal: Bool = false) {
        self.destination = destination
        self.gateway = gateway
        self.outputInterfaceIndex = outputInterfaceIndex
        self.origin = origin
        self.table = table
        self.gatewayOnLink = gatewayOnLink
        self.isLocal = isLocal
    }

    /// Reads an `RTM_NEWROUTE` message from a dump through libnl's `rtnl_route` object; `nil`
    /// for routes of other families or types than IPv4 unicast and local, and for the `local` table.
    public init?(_ message: NetlinkMessage) {
        guard let object = RouteObject.parse(message, kind: "route/route") else { return nil }
        defer { nl_object_put(object) }
        let type = rtnl_route_get_type(object)
        guard rtnl_route_get_family(object) == AF_INET, type == RouteConstants.routeTypeUnicast || type == RouteConstants.routeTypeLocal,
              rtnl_route_get_table(object) != RouteConstants.tableLocal,
              let destination = rtnl_route_get_dst(object), let network = LibnlAddress.ipv4(destination),
              let prefix = IPv4Network(network, prefixLength: Int(nl_addr_get_prefixlen(destination))) else { return nil }
        let nexthop = rtnl_route_get_nnexthops(object) > 0 ? rtnl_route_nexthop_n(object, 0) : nil
        self.init(destination: prefix, gateway: nexthop.flatMap { LibnlAddress.ipv4(rtnl_route_nh_get_gateway($0)) },
                  outputInterfaceIndex: nexthop.flatMap { RouteObject.present(rtnl_route_nh_get_ifindex($0)) },
                  origin: rtnl_route_get_protocol(object), table: rtnl_route_get_table(object),
                  gatewayOnLink: nexthop.map { UInt32(rtnl_route_nh_get_flags($0)) & RouteConstants.nexthopOnLink != 0 } ?? false,
                  isLocal: type == RouteConstants.routeTypeLocal)
    }

    public var description: String {
        let target = destination.prefixLength == 0 ? "default" : destination.description
        var text = gateway.map { "\(target) via \($0)" } ?? "\(target) dev #\(outputInterfaceIndex ?? 0)"
        if isLocal { text = "local " + text }
        if gatewayOnLink { text += " onlink" }
        if table != UInt32(RouteConstants.tableMain) { text += " table \(table)" }
        return text
    }
}

/// A policy routing rule (`ip rule`): packets carrying firewall mark `mark` are routed by
/// `table`. lbnet's rules are the only ones with a mark in the namespaces it owns.
public struct RoutingRule: Sendable, Hashable, CustomStringConvertible {
    public let priority: UInt32
    public let mark: UInt32
    public let table: UInt32

    public init(priority: UInt32, mark: UInt32, table: UInt32) {
        self.priority = priority
        self.mark = mark
        self.table = table
    }

    /// Reads an `RTM_NEWRULE` message from a dump; `nil` for other families and for rules
    /// without a firewall mark (the kernel's `local`, `main` and `default` lookups).
    public init?(_ message: NetlinkMessage) {
        guard let object = RouteObject.parse(message, kind: "route/rule") else { return nil }
        defer { nl_object_put(object) }
        guard rtnl_rule_get_family(object) == AF_INET, rtnl_rule_get_mark(object) != 0 else { return nil }
        self.init(priority: rtnl_rule_get_prio(object), mark: rtnl_rule_get_mark(object), table: rtnl_rule_get_table(object))
    }

    public var description: String { "\(priority): fwmark 0x\(String(mark, radix: 16)) lookup \(table)" }
}

/// Dump replies read through libnl-route-3's parsers.
enum RouteObject {
    /// The libnl object `message` parses into when it is of `kind` (`nl_object_get_type`,
    /// e.g. `route/link`); the caller puts it.
    static func parse(_ message: NetlinkMessage, kind: String) -> OpaquePointer? {
        guard let object = LibnlMessage.object(message, protocol: NETLINK_ROUTE) else { return nil }
        guard let type = nl_object_get_type(object), String(cString: type) == kind else {
            nl_object_put(object)
            return nil
        }
        return object
    }

    /// `value`, or `nil` when it is 0: libnl's getters answer 0 for an attribute the kernel
    /// did not send, and no index, master or MTU the kernel sends is 0.
    static func present<T: BinaryInteger>(_ value: T) -> T? { value == 0 ? nil : value }
}
