import Glibc

extension ConntrackFlows {
    /// `(NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE`.
    static let deleteMessageType: UInt16 = 1 << 8 | 2

    /// The request that deletes `entry` by its original tuple; a flow already gone is done.
    /// Conntrack forgets the flow: its next packet is new to the namespace.
    public static func deleteRequest(_ entry: Entry) -> NetlinkRequest? {
        guard let source = entry.source else { return nil }
        var encoder = NetlinkEncoder(type: deleteMessageType, flags: NetlinkConstants.Flags.request | NetlinkConstants.Flags.ack)
        encoder.appendUInt8(familyIPv4)
        encoder.appendUInt8(0)
        encoder.appendUInt16(0)
        encoder.nested(Attribute.tupleOriginal, flagNested: true) { tuple in
            tuple.nested(Attribute.tupleIP, flagNested: true) { ip in
                ip.attribute(Attribute.ipv4Source, source.bytes)
                ip.attribute(Attribute.ipv4Destination, entry.destination.bytes)
            }
            tuple.nested(Attribute.tupleProtocol, flagNested: true) { transport in
                transport.attribute(Attribute.protocolNumber, uint8: entry.protocolNumber)
                transport.attribute(Attribute.sourcePort, bigEndianUInt16: entry.sourcePort)
                transport.attribute(Attribute.destinationPort, bigEndianUInt16: entry.destinationPort)
            }
        }
        return NetlinkRequest(encoder, operation: "deleting conntrack flow \(source):\(entry.sourcePort) -> "
                                  + "\(entry.destination):\(entry.destinationPort)", alreadyDone: [ENOENT])
    }

    /// Deletes the flows of the socket's namespace that `cut` selects; returns how many it found.
    @discardableResult
    public static func delete(on socket: NetlinkSocket, where cut: (Entry) -> Bool) throws -> Int {
        let requests = try dump(on: socket).filter(cut).compactMap(deleteRequest)
        if !requests.isEmpty { try socket.perform(requests) }
        return requests.count
    }
}
