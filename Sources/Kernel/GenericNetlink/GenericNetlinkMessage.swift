/// Builds generic netlink messages: `nlmsghdr` (its type is the family id), `genlmsghdr`, then
/// the attributes the caller appends.
public enum GenericNetlinkMessage {
    public static func encoder(family: UInt16, command: UInt8, version: UInt8, flags: UInt16) -> NetlinkEncoder {
        var encoder = NetlinkEncoder(type: family, flags: flags)
        encoder.appendUInt8(command)
        encoder.appendUInt8(version)
        encoder.appendUInt16(0)
        return encoder
    }
}

/// A generic netlink message received from the kernel: its command and the attributes after
/// the `genlmsghdr`.
public struct GenericNetlinkReply: Sendable {
    public let command: UInt8
    public let version: UInt8
    public let attributes: NetlinkAttributes

    /// `nil` when the payload is too short to hold a `genlmsghdr`.
    public init?(_ message: NetlinkMessage) {
        guard message.payload.count >= GenericNetlinkConstants.headerLength else { return nil }
        command = message.payload[0]
        version = message.payload[1]
        attributes = NetlinkAttributes(message.payload[GenericNetlinkConstants.headerLength...])
    }
}
