import CNetlink

/// One nftables netlink message as libnftnl built it (sequence number 0), with the
/// description of what it does, used to name the object when the kernel refuses it.
public struct NFTMessage: Hashable, Sendable {
    public let bytes: [UInt8]
    public let operation: String

    init(bytes: [UInt8], operation: String) {
        self.bytes = bytes
        self.operation = operation
    }

    /// Builds a message of nftables type `type` for the `ip` family: the header, then what
    /// `payload` adds with libnftnl's `*_nlmsg_build_payload`. `capacity` must bound the size.
    init(_ type: nf_tables_msg_types, flags: UInt16, capacity: Int, operation: String,
         _ payload: (UnsafeMutablePointer<nlmsghdr>) -> Void) {
        self.init(capacity: capacity, operation: operation) { buffer in
            let header = nftnl_nlmsg_build_hdr(buffer, UInt16(type.rawValue), UInt16(NFPROTO_IPV4), flags, 0)!
            payload(header)
            return header
        }
    }

    /// Builds a message with `build`, which writes it at the start of a zeroed buffer of
    /// `capacity` bytes and returns its header.
    init(capacity: Int, operation: String, _ build: (UnsafeMutablePointer<CChar>) -> UnsafeMutablePointer<nlmsghdr>) {
        var buffer = [UInt8](repeating: 0, count: capacity)
        let length = buffer.withUnsafeMutableBytes { raw in
            Int(build(raw.baseAddress!.assumingMemoryBound(to: CChar.self)).pointee.nlmsg_len)
        }
        precondition(length <= capacity, "nftables message for \(operation) overflowed its \(capacity)-byte buffer")
        self.init(bytes: Array(buffer.prefix(length)), operation: operation)
    }

    /// The message with its sequence number set.
    public func sequenced(_ sequence: UInt32) -> [UInt8] {
        var result = bytes
        withUnsafeBytes(of: sequence.littleEndian) { result.replaceSubrange(8..<12, with: $0) }
        return result
    }

    /// The message as a request of a netlink exchange, answered as `completion` says.
    func request(_ completion: NetlinkRequest.Completion = .acknowledgement) -> NetlinkRequest {
        NetlinkRequest(NetlinkEncoder(message: bytes), operation: operation, completion: completion)
    }
}

extension NetlinkMessage {
    /// Calls `body` with the message rebuilt as contiguous `nlmsghdr` + payload, as libnftnl's
    /// parsers want it.
    func withHeader<T>(_ body: (UnsafePointer<nlmsghdr>) -> T) -> T {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(NetlinkConstants.headerLength + payload.count)
        func append(_ value: some FixedWidthInteger) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        append(UInt32(NetlinkConstants.headerLength + payload.count))
        append(type)
        append(flags)
        append(sequence)
        append(portID)
        bytes += payload
        return bytes.withUnsafeBytes { body($0.baseAddress!.assumingMemoryBound(to: nlmsghdr.self)) }
    }

    /// The nftables message type (`NFT_MSG_*`) when this is an nftables message.
    var nftablesType: UInt32? {
        guard type >> 8 == UInt16(NFNL_SUBSYS_NFTABLES) else { return nil }
        return UInt32(type & 0xff)
    }
}
