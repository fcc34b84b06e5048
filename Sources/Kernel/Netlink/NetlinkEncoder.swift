/// Builds one netlink message: the 16-byte `nlmsghdr`, a family header, then attributes
/// (`nlattr`, 4-byte aligned, nestable). Integers are in host byte order unless a method says
/// otherwise, as netlink expects.
public struct NetlinkEncoder: Sendable {
    public private(set) var bytes: [UInt8]

    /// Starts a message of `type` with `flags`; the length and sequence are filled in by `finish`.
    public init(type: UInt16, flags: UInt16) {
        bytes = []
        bytes.reserveCapacity(128)
        appendUInt32(0)
        appendUInt16(type)
        appendUInt16(flags)
        appendUInt32(0)
        appendUInt32(0)
    }

    /// A whole message a library built (libnl, libnftnl): header and all; `finish` sets its
    /// length and sequence.
    public init(message: some Collection<UInt8>) {
        precondition(message.count >= NetlinkConstants.headerLength, "a netlink message starts with its 16-byte header")
        bytes = Array(message)
    }

    /// The `nlmsghdr` flags the message was started with.
    public var flags: UInt16 { UInt16(bytes[6]) | UInt16(bytes[7]) << 8 }

    public mutating func appendUInt8(_ value: UInt8) { bytes.append(value) }

    public mutating func appendUInt16(_ value: UInt16) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func appendUInt32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func appendInt32(_ value: Int32) { appendUInt32(UInt32(bitPattern: value)) }

    public mutating func appendBytes(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    /// Pads with zeros to the next 4-byte boundary (`NLMSG_ALIGN` / `NLA_ALIGN`).
    public mutating func align() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    public mutating func attribute(_ type: UInt16, _ payload: some Collection<UInt8>) {
        appendUInt16(UInt16(4 + payload.count))
        appendUInt16(type)
        bytes.append(contentsOf: payload)
        align()
    }

    public mutating func attribute(_ type: UInt16, uint8 value: UInt8) { attribute(type, [value]) }

    public mutating func attribute(_ type: UInt16, uint16 value: UInt16) {
        attribute(type, withUnsafeBytes(of: value.littleEndian, Array.init))
    }

    /// A 16-bit value in network byte order (ports).
    public mutating func attribute(_ type: UInt16, bigEndianUInt16 value: UInt16) {
        attribute(type, withUnsafeBytes(of: value.bigEndian, Array.init))
    }

    public mutating func attribute(_ type: UInt16, uint32 value: UInt32) {
        attribute(type, withUnsafeBytes(of: value.littleEndian, Array.init))
    }

    /// A NUL-terminated string attribute.
    public mutating func attribute(_ type: UInt16, string: String) {
        attribute(type, Array(string.utf8) + [0])
    }

    /// A nested attribute (`NLA_F_NESTED` is set when `flagNested` is true, as genetlink and
    /// nftables want it; rtnetlink's IFLA_LINKINFO works either way).
    public mutating func nested(_ type: UInt16, flagNested: Bool = false, _ body: (inout NetlinkEncoder) -> Void) {
        let start = bytes.count
        appendUInt16(0)
        appendUInt16(flagNested ? type | NetlinkConstants.attributeNestedFlag : type)
        body(&self)
        let length = UInt16(bytes.count - start)
        bytes[start] = UInt8(length & 0xff)
        bytes[start + 1] = UInt8(length >> 8)
        align()
    }

    /// The finished message with its length and `sequence` set.
    public func finish(sequence: UInt32, portID: UInt32 = 0) -> [UInt8] {
        var result = bytes
        let length = UInt32(result.count)
        result.replaceSubrange(0..<4, with: withUnsafeBytes(of: length.littleEndian, Array.init))
        result.replaceSubrange(8..<12, with: withUnsafeBytes(of: sequence.littleEndian, Array.init))
        result.replaceSubrange(12..<16, with: withUnsafeBytes(of: portID.littleEndian, Array.init))
        return result
    }
}
