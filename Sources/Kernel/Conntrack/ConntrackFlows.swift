/// The flows conntrack holds in one network namespace, over ctnetlink (`NETLINK_NETFILTER`,
/// subsystem `NFNL_SUBSYS_CTNETLINK`): one dump of the table, read here (to count flows, or to
/// find those to cut), and the deletion of single flows (`ConntrackFlows+Delete`).
public enum ConntrackFlows {
    /// `(NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET`.
    static let getMessageType: UInt16 = 1 << 8 | 1
    /// `(NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW`: each entry of a dump.
    static let newMessageType: UInt16 = 1 << 8
    /// `AF_INET`.
    static let familyIPv4: UInt8 = 2

    enum Attribute {
        static let tupleOriginal: UInt16 = 1
        static let tupleReply: UInt16 = 2
        static let status: UInt16 = 3
        static let protocolInfo: UInt16 = 4
        static let tupleIP: UInt16 = 1
        static let tupleProtocol: UInt16 = 2
        static let ipv4Source: UInt16 = 1
        static let ipv4Destination: UInt16 = 2
        static let protocolNumber: UInt16 = 1
        static let sourcePort: UInt16 = 2
        static let destinationPort: UInt16 = 3
        static let protocolInfoTCP: UInt16 = 1
        static let tcpState: UInt16 = 1
    }

    /// `IPS_DST_NAT`: the flow's destination was translated (balanced by a DNAT rule).
    static let statusDestinationNAT: UInt32 = 1 << 5
    /// `TCP_CONNTRACK_ESTABLISHED`.
    static let tcpEstablished: UInt8 = 3

    /// The dump request: every IPv4 conntrack entry of the socket's namespace.
    public static func dumpRequest() -> NetlinkEncoder {
        var encoder = NetlinkEncoder(type: getMessageType, flags: NetlinkConstants.Flags.request | NetlinkConstants.Flags.dump)
        encoder.appendUInt8(familyIPv4)
        encoder.appendUInt8(0)
        encoder.appendUInt16(0)
        return encoder
    }

    /// One conntrack entry, as much of it as counting needs.
    public struct Entry: Sendable, Equatable {
        public let destination: IPv4Address
        public let protocolNumber: UInt8
        public let destinationPort: UInt16
        public let destinationTranslated: Bool
        /// The TCP state (`TCP_CONNTRACK_*`); `nil` for other protocols.
        public let tcpState: UInt8?
        /// The client's address and port (original direction).
        public var source: IPv4Address?
        public var sourcePort: UInt16 = 0
        /// Where the flow really goes: the reply direction's source (the DNAT target).
        public var replySource: IPv4Address?
        public var replySourcePort: UInt16 = 0

        /// Whether the flow is open: TCP established, or any UDP entry conntrack still keeps.
        public var isActive: Bool { tcpState.map { $0 == ConntrackFlows.tcpEstablished } ?? true }
    }

    /// Reads one dump reply (`nfgenmsg`, then `CTA_*` attributes, numbers in network order).
    public static func entry(_ message: NetlinkMessage) -> Entry? {
        guard message.type == newMessageType, message.payload.count >= 4 else { return nil }
        let attributes = NetlinkAttributes(message.payload[4...])
        guard let original = attributes[Attribute.tupleOriginal]?.nested,
              let destination = original[Attribute.tupleIP]?.nested[Attribute.ipv4Destination]?.ipv4,
              let transport = original[Attribute.tupleProtocol]?.nested,
              let number = transport[Attribute.protocolNumber]?.uint8 else { return nil }
        let status = attributes[Attribute.status]?.uint32?.byteSwapped ?? 0
        let tcpState = number == 6
            ? attributes[Attribute.protocolInfo]?.nested[Attribute.protocolInfoTCP]?.nested[Attribute.tcpState]?.uint8
            : nil
        let reply = attributes[Attribute.tupleReply]?.nested
        return Entry(destination: destination, protocolNumber: number,
                     destinationPort: transport[Attribute.destinationPort]?.bigEndianUInt16 ?? 0,
                     destinationTranslated: status & statusDestinationNAT != 0, tcpState: tcpState,
                     source: original[Attribute.tupleIP]?.nested[Attribute.ipv4Source]?.ipv4,
                     sourcePort: transport[Attribute.sourcePort]?.bigEndianUInt16 ?? 0,
                     replySource: reply?[Attribute.tupleIP]?.nested[Attribute.ipv4Source]?.ipv4,
                     replySourcePort: reply?[Attribute.tupleProtocol]?.nested[Attribute.sourcePort]?.bigEndianUInt16 ?? 0)
    }

    /// The entries of the namespace `socket` was opened in.
    public static func dump(on socket: NetlinkSocket) throws(NetlinkError) -> [Entry] {
        try socket.dump(dumpRequest(), operation: "dumping conntrack entries").compactMap(entry)
    }
}
