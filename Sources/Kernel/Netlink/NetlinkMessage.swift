/// One message received from the kernel: its header fields and the bytes after the header.
public struct NetlinkMessage: Sendable, Equatable {
    public let type: UInt16
    public let flags: UInt16
    public let sequence: UInt32
    public let portID: UInt32
    public let payload: [UInt8]

    public init(type: UInt16, flags: UInt16, sequence: UInt32, portID: UInt32, payload: [UInt8]) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.portID = portID
        self.payload = payload
    }

    /// Splits a datagram into its messages; stops at the first truncated one.
    public static func split(_ datagram: [UInt8]) -> [NetlinkMessage] {
        var messages: [NetlinkMessage] = []
        var offset = 0
        while offset + NetlinkConstants.headerLength <= datagram.count {
            let reader = ByteReader(datagram)
            let length = Int(reader.uint32(at: offset))
            guard length >= NetlinkConstants.headerLength, offset + length <= datagram.count else { break }
            messages.append(NetlinkMessage(
                type: reader.uint16(at: offset + 4),
                flags: reader.uint16(at: offset + 6),
                sequence: reader.uint32(at: offset + 8),
                portID: reader.uint32(at: offset + 12),
                payload: Array(datagram[(offset + NetlinkConstants.headerLength)..<(offset + length)])
            ))
            offset += (length + 3) & ~3
        }
        return messages
    }

    /// For an `NLMSG_ERROR` message: the errno (0 for an ACK) and the kernel's extended-ack text.
    public var errorCode: (errno: Int32, message: String?)? {
        guard type == NetlinkConstants.MessageType.error, payload.count >= 4 else { return nil }
        let reader = ByteReader(payload)
        // Wrapping negation: a reply claiming INT32_MIN must not trap (found by scripts/fuzz).
        let code = 0 &- Int32(bitPattern: reader.uint32(at: 0))
        var text: String?
        // Extended ACK: after the echoed header (and payload unless capped) come NLMSGERR_ATTRs.
        if flags & 0x200 != 0, payload.count >= 20 {
            let echoedLength = Int(reader.uint32(at: 4))
            let capped = flags & 0x100 != 0
            let start = 4 + (capped ? NetlinkConstants.headerLength : ((echoedLength + 3) & ~3))
            if start <= payload.count {
                for attribute in NetlinkAttributes(payload[start...]) where attribute.type == 1 {
                    text = attribute.string
                }
            }
        }
        return (code, text)
    }
}

/// Reads little-endian integers from a byte buffer at absolute offsets.
struct ByteReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func uint16(at offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }

    func uint32(at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }
}
