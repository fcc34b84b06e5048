#if canImport(Glibc)
import Glibc
#endif

/// Builders for the rtnetlink requests lbnet sends; pure functions of their arguments, so their
/// bytes can be checked against golden values without a kernel.
public enum RouteMessages {
    typealias C = RouteConstants
    static let createFlags = NetlinkConstants.Flags.request | NetlinkConstants.Flags.ack
        | NetlinkConstants.Flags.create | NetlinkConstants.Flags.exclusive
    /// Create or replace: adding a route that exists already is not an error.
    static let replaceFlags = NetlinkConstants.Flags.request | NetlinkConstants.Flags.ack
        | NetlinkConstants.Flags.create | NetlinkConstants.Flags.replace
    static let changeFlags = NetlinkConstants.Flags.request | NetlinkConstants.Flags.ack

    /// `struct ifinfomsg`: family, pad, type, index, flags, change mask.
    static func appendLinkHeader(_ e: inout NetlinkEncoder, index: Int32 = 0, flags: UInt32 = 0, change: UInt32 = 0) {
        e.appendUInt8(C.familyUnspecified)
        e.appendUInt8(0)
        e.appendUInt16(0)
        e.appendInt32(index)
        e.appendUInt32(flags)
        e.appendUInt32(change)
    }

    public static func createBridge(name: String) -> NetlinkRequest {
        var e = NetlinkEncoder(type: C.MessageType.newLink, flags: createFlags)
        appendLinkHeader(&e)
        e.attribute(C.LinkAttribute.interfaceName, string: name)
        e.nested(C.LinkAttribute.linkInfo) { $0.attribute(C.LinkInfoAttribute.kind, string: "bridge") }
        return NetlinkRequest(e, operation: "creating bridge \(name)")
    }

    /// A veth pair: `name` in the namespace of the socket, `peerName` moved at once into the
    /// namespace open as `peerNamespaceFD`.
    public static func createVeth(name: String, peerName: String, peerNamespaceFD: Int32, peerNamespace: String) -> NetlinkRequest {
        var e = NetlinkEncoder(type: C.MessageType.newLink, flags: createFlags)
        appendLinkHeader(&e)
        e.attribute(C.LinkAttribute.interfaceName, string: name)
        e.nested(C.LinkAttribute.linkInfo) { info in
            info.attribute(C.LinkInfoAttribute.kind, string: "veth")
            info.nested(C.LinkInfoAttribute.data) { data in
                data.nested(C.VethAttribute.peer) { peer in
                    appendLinkHeader(&peer)
                    peer.attribute(C.LinkAttribute.interfaceName, string: peerName)
                    peer.attribute(C.LinkAttribute.netNamespaceFD, uint32: UInt32(bitPattern: peerNamespaceFD))
                }
            }
        }
        return NetlinkRequest(e, operation: "creating veth \(name) with peer \(peerName) in \(peerNamespace)")
    }

    /// Sets a link's up/down state, and optionally its bridge master (0 releases it) and MTU.
    public static func setLink(index: Int32, name: String, up: Bool? = nil, master: Int32? = nil, mtu: UInt32? = nil) -> NetlinkRequest {
        var e = NetlinkEncoder(type: C.MessageType.newLink, flags: changeFlags)
        appendLinkHeader(&e, index: index, flags: up == true ? C.interfaceUp : 0, change: up == nil ? 0 : C.interfaceUp)
        if let master { e.attribute(C.LinkAttribute.master, uint32: UInt32(bitPattern: master)) }
        if let mtu { e.attribute(C.LinkAttribute.mtu, uint32: mtu) }
        var what: [String] = []
        if let up { what.append(up ? "up" : "down") }
        if let master { what.append("master \(master)") }
        if let mtu { what.append("mtu \(mtu)") }
        return NetlinkRequest(e, operation: "setting link \(name) \(what.joined(separator: " "))")
    }

    public static func deleteLink(index: Int32, name: String) -> NetlinkRequest {
        var e = NetlinkEncoder(type: C.MessageType.deleteLink, flags: changeFlags)
        appendLinkHeader(&e, index: index)
        return NetlinkRequest(e, operation: "deleting link \(name)", alreadyDone: [ENODEV])
    }

    /// `struct ifaddrmsg`: family, prefix length, flags, scope, index.
    static func addressMessage(_ type: UInt16, flags: UInt16, index: Int32, address: IPv4Interface) -> NetlinkEncoder {
        var e = NetlinkEncoder(type: type, flags: flags)
        e.appendUInt8(C.familyIPv4)
        e.appendUInt8(UInt8(address.prefixLength))
        e.appendUInt8(0)
        e.appendUInt8(C.scopeUniverse)
        e.appendInt32(index)
        e.attribute(C.AddressAttribute.local, address.address.bytes)
        e.attribute(C.AddressAttribute.address, address.address.bytes)
        return e
    }

    public static func addAddress(_ address: IPv4Interface, index: Int32, interface: String) -> NetlinkRequest {
        NetlinkRequest(addressMessage(C.MessageType.newAddress, flags: createFlags, index: index, address: address),
                       operation: "adding address \(address) to \(interface)")
    }

    public static func deleteAddress(_ address: IPv4Interface, index: Int32, interface: String) -> NetlinkRequest {
        NetlinkRequest(addressMessage(C.MessageType.deleteAddress, flags: changeFlags, index: index, address: address),
                       operation: "deleting address \(address) from \(interface)", alreadyDone: [EADDRNOTAVAIL, ENODEV])
    }

    /// `struct rtmsg` for an IPv4 unicast route in the main table.
    static func routeMessage(_ type: UInt16, flags: UInt16, route: Route) -> NetlinkEncoder {
        var e = NetlinkEncoder(type: type, flags: flags)
        e.appendUInt8(C.familyIPv4)
        e.appendUInt8(UInt8(route.destination.prefixLength))
        e.appendUInt8(0)
        e.appendUInt8(0)
        e.appendUInt8(C.tableMain)
        e.appendUInt8(C.protocolStatic)
        e.appendUInt8(route.gateway == nil ? C.scopeLink : C.scopeUniverse)
        e.appendUInt8(C.routeTypeUnicast)
        e.appendUInt32(0)
        if route.destination.prefixLength > 0 {
            e.attribute(C.RouteAttribute.destination, route.destination.network.bytes)
        }
        if let gateway = route.gateway { e.attribute(C.RouteAttribute.gateway, gateway.bytes) }
        if let index = route.outputInterfaceIndex { e.attribute(C.RouteAttribute.outputInterface, uint32: UInt32(bitPattern: index)) }
        return e
    }

    public static func addRoute(_ route: Route) -> NetlinkRequest {
        NetlinkRequest(routeMessage(C.MessageType.newRoute, flags: replaceFlags, route: route), operation: "adding route \(route)")
    }

    public static func deleteRoute(_ route: Route) -> NetlinkRequest {
        NetlinkRequest(routeMessage(C.MessageType.deleteRoute, flags: changeFlags, route: route), operation: "deleting route \(route)",
                       alreadyDone: [ESRCH, ENODEV])
    }

    public static func dumpLinks() -> NetlinkEncoder {
        var e = NetlinkEncoder(type: C.MessageType.getLink, flags: NetlinkConstants.Flags.request | NetlinkConstants.Flags.dump)
        appendLinkHeader(&e)
        return e
    }

    public static func dumpAddresses() -> NetlinkEncoder {
        var e = NetlinkEncoder(type: C.MessageType.getAddress, flags: NetlinkConstants.Flags.request | NetlinkConstants.Flags.dump)
        e.appendUInt8(C.familyIPv4)
        e.appendBytes([0, 0, 0, 0, 0, 0, 0])
        return e
    }

    public static func dumpRoutes() -> NetlinkEncoder {
        var e = NetlinkEncoder(type: C.MessageType.getRoute, flags: NetlinkConstants.Flags.request | NetlinkConstants.Flags.dump)
        e.appendUInt8(C.familyIPv4)
        e.appendBytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        return e
    }
}
