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

    /// Parses an `RTM_NEWLINK` message from a dump.
    public init?(_ message: NetlinkMessage) {
        guard message.type == RouteConstants.MessageType.newLink, message.payload.count >= 16 else { return nil }
        let reader = ByteReader(message.payload)
        index = Int32(bitPattern: reader.uint32(at: 4))
        isUp = reader.uint32(at: 8) & RouteConstants.interfaceUp != 0
        let attributes = NetlinkAttributes(message.payload[16...])
        guard let name = attributes[RouteConstants.LinkAttribute.interfaceName]?.string else { return nil }
        self.name = name
        kind = attributes[RouteConstants.LinkAttribute.linkInfo]?.nested[RouteConstants.LinkInfoAttribute.kind]?.string
        masterIndex = attributes[RouteConstants.LinkAttribute.master]?.int32
        mtu = attributes[RouteConstants.LinkAttribute.mtu]?.uint32
        peerIndex = attributes[RouteConstants.LinkAttribute.link]?.int32
        peerInOtherNamespace = attributes[RouteConstants.LinkAttribute.linkNetNamespaceID] != nil
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

    public init?(_ message: NetlinkMessage) {
        guard message.type == RouteConstants.MessageType.newAddress, message.payload.count >= 8,
              message.payload[0] == RouteConstants.familyIPv4 else { return nil }
        let attributes = NetlinkAttributes(message.payload[8...])
        guard let local = (attributes[RouteConstants.AddressAttribute.local] ?? attributes[RouteConstants.AddressAttribute.address])?.ipv4
        else { return nil }
        interfaceIndex = Int32(bitPattern: ByteReader(message.payload).uint32(at: 4))
        address = IPv4Interface(address: local, prefixLength: Int(message.payload[1]))
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

    public init?(_ message: NetlinkMessage) {
        let p = message.payload
        guard message.type == RouteConstants.MessageType.newRoute, p.count >= 12,
              p[0] == RouteConstants.familyIPv4, p[7] == RouteConstants.routeTypeUnicast else { return nil }
        let attributes = NetlinkAttributes(p[12...])
        let table = attributes[RouteConstants.RouteAttribute.table]?.uint32 ?? UInt32(p[4])
        guard table == UInt32(RouteConstants.tableMain) else { return nil }
        let destinationAddress = attributes[RouteConstants.RouteAttribute.destination]?.ipv4 ?? IPv4Address(0)
        guard let destination = IPv4Network(destinationAddress, prefixLength: Int(p[1])) else { return nil }
        self.destination = destination
        gateway = attributes[RouteConstants.RouteAttribute.gateway]?.ipv4
        outputInterfaceIndex = attributes[RouteConstants.RouteAttribute.outputInterface]?.int32
        origin = p[5]
    }

    public var description: String {
        let target = destination.prefixLength == 0 ? "default" : destination.description
        return gateway.map { "\(target) via \($0)" } ?? "\(target) dev #\(outputInterfaceIndex ?? 0)"
    }
}
