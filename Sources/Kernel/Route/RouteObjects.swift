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

    public init(interfaceIndex: Int32, address: IPv4Interface) {
        self.interfaceIndex = interfaceIndex
        self.address = address
    }

    /// Reads an `RTM_NEWADDR` message from a dump through libnl's `rtnl_addr` object; `nil`
    /// for other families than IPv4.
    public init?(_ message: NetlinkMessage) {
        guard let object = RouteObject.parse(message, kind: "route/addr") else { return nil }
        defer { nl_object_put(object) }
        guard rtnl_addr_get_family(object) == AF_INET, let local = LibnlAddress.ipv4(rtnl_addr_get_local(object)) else { return nil }
        self.init(interfaceIndex: rtnl_addr_get_ifindex(object),
                  address: IPv4Interface(address: local, prefixLength: Int(rtnl_addr_get_prefixlen(object))))
    }
}

/// An IPv4 route of the main table: destination, optional gateway, optional output interface.
public struct Route: Sendable, Hashable, CustomStringConvertible {
    public let destination: IPv4Network
    public let gateway: IPv4Address?
    public let outputInterfaceIndex: Int32?
    /// Who installed it (`RTPROT_*`); lbnet's routes are `static`, the kernel's own are `kernel`.
    public let origin: UInt8

    public init(destination: IPv4Network, gateway: IPv4Address?, outputInterfaceIndex: Int32? = nil,
                origin: UInt8 = RouteConstants.protocolStatic) {
        self.destination = destination
        self.gateway = gateway
        self.outputInterfaceIndex = outputInterfaceIndex
        self.origin = origin
    }

    /// Reads an `RTM_NEWROUTE` message from a dump through libnl's `rtnl_route` object; `nil`
    /// for routes of other families, types or tables than IPv4 unicast in the main table.
    public init?(_ message: NetlinkMessage) {
        guard let object = RouteObject.parse(message, kind: "route/route") else { return nil }
        defer { nl_object_put(object) }
        guard rtnl_route_get_family(object) == AF_INET, rtnl_route_get_type(object) == RouteConstants.routeTypeUnicast,
              rtnl_route_get_table(object) == UInt32(RouteConstants.tableMain),
              let destination = rtnl_route_get_dst(object), let network = LibnlAddress.ipv4(destination),
              let prefix = IPv4Network(network, prefixLength: Int(nl_addr_get_prefixlen(destination))) else { return nil }
        let nexthop = rtnl_route_get_nnexthops(object) > 0 ? rtnl_route_nexthop_n(object, 0) : nil
        self.init(destination: prefix, gateway: nexthop.flatMap { LibnlAddress.ipv4(rtnl_route_nh_get_gateway($0)) },
                  outputInterfaceIndex: nexthop.flatMap { RouteObject.present(rtnl_route_nh_get_ifindex($0)) },
                  origin: rtnl_route_get_protocol(object))
    }

    public var description: String {
        let target = destination.prefixLength == 0 ? "default" : destination.description
        return gateway.map { "\(target) via \($0)" } ?? "\(target) dev #\(outputInterfaceIndex ?? 0)"
    }
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
