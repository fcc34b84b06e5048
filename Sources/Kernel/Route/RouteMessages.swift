import CLibnl
#if canImport(Glibc)
import Glibc
#endif

/// The rtnetlink requests lbnet sends, built by libnl-route-3 from its link, address and
/// route objects; pure functions of their arguments, so their bytes can be checked against
/// golden values without a kernel. lbnet programs no neighbour entries: the kernel's ARP
/// resolves everything on the bridges.
public enum RouteMessages {
    typealias C = RouteConstants

    /// A new `rtnl_link`, handed to `body` and put afterwards.
    static func withLink<T>(_ make: () -> OpaquePointer? = { rtnl_link_alloc() }, _ body: (OpaquePointer) -> T) -> T {
        guard let link = make() else { preconditionFailure("libnl could not allocate a link") }
        defer { rtnl_link_put(link) }
        return body(link)
    }

    public static func createBridge(name: String) -> NetlinkRequest {
        withLink { link in
            rtnl_link_set_name(link, name)
            _ = rtnl_link_set_type(link, "bridge")
            return LibnlMessage.request(operation: "creating bridge \(name)") {
                rtnl_link_build_add_request(link, NLM_F_CREATE | NLM_F_EXCL, &$0)
            }
        }
    }

    /// A veth pair: `name` in the namespace of the socket, `peerName` moved at once into the
    /// namespace open as `peerNamespaceFD` (`IFLA_NET_NS_FD` inside `VETH_INFO_PEER`).
    public static func createVeth(name: String, peerName: String, peerNamespaceFD: Int32, peerNamespace: String) -> NetlinkRequest {
        withLink({ rtnl_link_veth_alloc() }) { link in
            rtnl_link_set_name(link, name)
            guard let peer = rtnl_link_veth_get_peer(link) else { preconditionFailure("libnl's veth has no peer") }
            defer { rtnl_link_put(peer) }
            rtnl_link_set_name(peer, peerName)
            rtnl_link_set_ns_fd(peer, peerNamespaceFD)
            return LibnlMessage.request(operation: "creating veth \(name) with peer \(peerName) in \(peerNamespace)") {
                rtnl_link_build_add_request(link, NLM_F_CREATE | NLM_F_EXCL, &$0)
            }
        }
    }

    /// Sets a link's up/down state, and optionally its bridge master (0 releases it) and MTU
    /// (`RTM_SETLINK` on the link's index).
    public static func setLink(index: Int32, name: String, up: Bool? = nil, master: Int32? = nil, mtu: UInt32? = nil) -> NetlinkRequest {
        var what: [String] = []
        if let up { what.append(up ? "up" : "down") }
        if let master { what.append("master \(master)") }
        if let mtu { what.append("mtu \(mtu)") }
        return withLink { original in
            rtnl_link_set_ifindex(original, index)
            return withLink { changes in
                switch up {
                case true?: rtnl_link_set_flags(changes, C.interfaceUp)
                case false?: rtnl_link_unset_flags(changes, C.interfaceUp)
                case nil: break
                }
                if let master { rtnl_link_set_master(changes, master) }
                if let mtu { rtnl_link_set_mtu(changes, mtu) }
                return LibnlMessage.request(operation: "setting link \(name) \(what.joined(separator: " "))") {
                    rtnl_link_build_change_request(original, changes, 0, &$0)
                }
            }
        }
    }

    public static func deleteLink(index: Int32, name: String) -> NetlinkRequest {
        withLink { link in
            rtnl_link_set_ifindex(link, index)
            return LibnlMessage.request(operation: "deleting link \(name)", alreadyDone: [ENODEV]) {
                rtnl_link_build_delete_request(link, &$0)
            }
        }
    }

    /// A new `rtnl_addr` for `address` on interface `index`, handed to `body` and put afterwards.
    static func withAddress<T>(_ address: IPv4Interface, index: Int32, noPrefixRoute: Bool = false,
                               _ body: (OpaquePointer) -> T) -> T {
        guard let object = rtnl_addr_alloc() else { preconditionFailure("libnl could not allocate an address") }
        defer { rtnl_addr_put(object) }
        rtnl_addr_set_ifindex(object, index)
        rtnl_addr_set_family(object, AF_INET)
        if noPrefixRoute { rtnl_addr_set_flags(object, UInt32(RouteConstants.addressNoPrefixRoute)) }
        let local = LibnlAddress.make(address.address, prefixLength: address.prefixLength)
        defer { nl_addr_put(local) }
        _ = rtnl_addr_set_local(object, local)
        return body(object)
    }

    /// With `noPrefixRoute` the kernel adds no route to the address's subnet (`IFA_FLAGS`).
    public static func addAddress(_ address: IPv4Interface, index: Int32, interface: String, noPrefixRoute: Bool = false) -> NetlinkRequest {
        withAddress(address, index: index, noPrefixRoute: noPrefixRoute) { object in
            LibnlMessage.request(operation: "adding address \(address)\(noPrefixRoute ? " noprefixroute" : "") to \(interface)") {
                rtnl_addr_build_add_request(object, NLM_F_EXCL, &$0)
            }
        }
    }

    public static func deleteAddress(_ address: IPv4Interface, index: Int32, interface: String) -> NetlinkRequest {
        withAddress(address, index: index) { object in
            LibnlMessage.request(operation: "deleting address \(address) from \(interface)", alreadyDone: [EADDRNOTAVAIL, ENODEV]) {
                rtnl_addr_build_delete_request(object, 0, &$0)
            }
        }
    }

    /// A new `rtnl_route` for `route`: IPv4 unicast (or local, scope host) in its table,
    /// protocol static, scope link without a gateway; handed to `body` and put afterwards.
    static func withRoute<T>(_ route: Route, _ body: (OpaquePointer) -> T) -> T {
        guard let object = rtnl_route_alloc(), let nexthop = rtnl_route_nh_alloc() else {
            preconditionFailure("libnl could not allocate a route")
        }
        defer { rtnl_route_put(object) }
        _ = rtnl_route_set_family(object, UInt8(AF_INET))
        rtnl_route_set_table(object, route.table)
        rtnl_route_set_protocol(object, C.protocolStatic)
        rtnl_route_set_scope(object, route.isLocal ? C.scopeHost : route.gateway == nil ? C.scopeLink : C.scopeUniverse)
        _ = rtnl_route_set_type(object, route.isLocal ? C.routeTypeLocal : C.routeTypeUnicast)
        let destination = LibnlAddress.make(route.destination.network, prefixLength: route.destination.prefixLength)
        defer { nl_addr_put(destination) }
        _ = rtnl_route_set_dst(object, destination)
        if let gateway = route.gateway {
            let address = LibnlAddress.make(gateway, prefixLength: 32)
            defer { nl_addr_put(address) }
            rtnl_route_nh_set_gateway(nexthop, address)
        }
        if let index = route.outputInterfaceIndex { rtnl_route_nh_set_ifindex(nexthop, index) }
        if route.gatewayOnLink { rtnl_route_nh_set_flags(nexthop, C.nexthopOnLink) }
        rtnl_route_add_nexthop(object, nexthop)
        return body(object)
    }

    /// Create or replace: adding a route that exists already is not an error.
    public static func addRoute(_ route: Route) -> NetlinkRequest {
        withRoute(route) { object in
            LibnlMessage.request(operation: "adding route \(route)") { rtnl_route_build_add_request(object, NLM_F_REPLACE, &$0) }
        }
    }

    public static func deleteRoute(_ route: Route) -> NetlinkRequest {
        withRoute(route) { object in
            LibnlMessage.request(operation: "deleting route \(route)", alreadyDone: [ESRCH, ENODEV]) {
                rtnl_route_build_del_request(object, 0, &$0)
            }
        }
    }

    /// A new `rtnl_rule` for `rule` (IPv4, `FR_ACT_TO_TBL`, protocol static), handed to `body`.
    static func withRule<T>(_ rule: RoutingRule, _ body: (OpaquePointer) -> T) -> T {
        guard let object = rtnl_rule_alloc() else { preconditionFailure("libnl could not allocate a rule") }
        defer { rtnl_rule_put(object) }
        rtnl_rule_set_family(object, AF_INET)
        rtnl_rule_set_prio(object, rule.priority)
        rtnl_rule_set_mark(object, rule.mark)
        rtnl_rule_set_table(object, rule.table)
        rtnl_rule_set_action(object, UInt8(FR_ACT_TO_TBL))
        _ = rtnl_rule_set_protocol(object, C.protocolStatic)
        return body(object)
    }

    public static func addRule(_ rule: RoutingRule) -> NetlinkRequest {
        withRule(rule) { object in
            LibnlMessage.request(operation: "adding rule \(rule)", alreadyDone: [EEXIST]) {
                rtnl_rule_build_add_request(object, NLM_F_EXCL, &$0)
            }
        }
    }

    public static func deleteRule(_ rule: RoutingRule) -> NetlinkRequest {
        withRule(rule) { object in
            LibnlMessage.request(operation: "deleting rule \(rule)", alreadyDone: [ENOENT]) {
                rtnl_rule_build_delete_request(object, 0, &$0)
            }
        }
    }

    /// A dump request: `type` with its family header `header` (`NLM_F_DUMP`).
    static func dump<Header: BitwiseCopyable>(_ type: Int32, header: Header) -> NetlinkEncoder {
        LibnlMessage.request(operation: "dump", completion: .dump) { message in
            message = nlmsg_alloc_simple(type, NLM_F_DUMP)
            guard let message else { return -NLE_NOMEM }
            return withUnsafeBytes(of: header) {
                nlmsg_append(message, UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count, Int32(NLMSG_ALIGNTO))
            }
        }.encoder
    }

    public static func dumpLinks() -> NetlinkEncoder { dump(Int32(RTM_GETLINK), header: ifinfomsg()) }

    public static func dumpAddresses() -> NetlinkEncoder {
        var header = ifaddrmsg()
        header.ifa_family = UInt8(AF_INET)
        return dump(Int32(RTM_GETADDR), header: header)
    }

    public static func dumpRules() -> NetlinkEncoder {
        var header = rtmsg()
        header.rtm_family = UInt8(AF_INET)
        return dump(Int32(RTM_GETRULE), header: header)
    }

    public static func dumpRoutes() -> NetlinkEncoder {
        var header = rtmsg()
        header.rtm_family = UInt8(AF_INET)
        return dump(Int32(RTM_GETROUTE), header: header)
    }
}
