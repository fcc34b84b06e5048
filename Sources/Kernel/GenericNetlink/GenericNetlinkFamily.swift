#if canImport(Glibc)
import Glibc
#endif

/// A generic netlink family as the controller reports it: the id its messages are addressed
/// to (assigned at registration, so it differs between boots) and its version.
public struct GenericNetlinkFamily: Hashable, Sendable {
    public let name: String
    public let id: UInt16
    public let version: UInt32

    public init(name: String, id: UInt16, version: UInt32) {
        self.name = name
        self.id = id
        self.version = version
    }

    /// `CTRL_CMD_GETFAMILY` for `name`, asking for an ACK after the answer.
    public static func lookupRequest(name: String) -> NetlinkEncoder {
        var encoder = GenericNetlinkMessage.encoder(
            family: GenericNetlinkConstants.controllerFamilyID,
            command: GenericNetlinkConstants.ControllerCommand.getFamily,
            version: GenericNetlinkConstants.controllerVersion,
            flags: NetlinkConstants.Flags.request | NetlinkConstants.Flags.ack)
        encoder.attribute(GenericNetlinkConstants.ControllerAttribute.familyName, string: name)
        return encoder
    }

    /// Reads the controller's answer; `nil` when it carries no family id.
    public init?(reply: NetlinkMessage) {
        guard let reply = GenericNetlinkReply(reply),
              let id = reply.attributes[GenericNetlinkConstants.ControllerAttribute.familyID]?.uint16 else { return nil }
        self.id = id
        name = reply.attributes[GenericNetlinkConstants.ControllerAttribute.familyName]?.string ?? ""
        version = reply.attributes[GenericNetlinkConstants.ControllerAttribute.version]?.uint32 ?? 0
    }

    /// Asks the controller behind `socket` (a `NETLINK_GENERIC` socket) for the family `name`.
    /// Returns `nil` when no such family is registered in the kernel (`ENOENT`).
    public static func resolve(_ name: String, on socket: NetlinkSocket) throws(NetlinkError) -> GenericNetlinkFamily? {
        let operation = "looking up generic netlink family \(name)"
        let replies: [NetlinkMessage]
        do throws(NetlinkError) {
            replies = try socket.request(NetlinkRequest(lookupRequest(name: name), operation: operation))
        } catch where error.errno == ENOENT {
            return nil
        }
        guard let family = replies.lazy.compactMap(GenericNetlinkFamily.init(reply:)).first else {
            throw NetlinkError(operation: operation, errno: EPROTO, kernelMessage: "the controller's answer has no family id")
        }
        return family
    }
}
