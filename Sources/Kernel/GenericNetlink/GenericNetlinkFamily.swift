import CLibnl
#if canImport(Glibc)
import Glibc
#endif

/// A generic netlink family as the controller reports it: the id its messages are addressed
/// to (assigned at registration, so it differs between boots) and its version.
///
/// The lookup is `genl_ctrl_resolve`'s `CTRL_CMD_GETFAMILY`, built and parsed with libnl-genl,
/// but sent on lbnet's own socket: `genl_ctrl_resolve` wants a libnl `nl_sock`, and lbnet
/// keeps one socket per namespace, opened inside it, for the family's whole life.
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
    public static func lookupRequest(name: String) -> NetlinkRequest {
        GenericNetlinkMessage.request(family: UInt16(GENL_ID_CTRL), command: UInt8(CTRL_CMD_GETFAMILY), version: 1,
                                      operation: "looking up generic netlink family \(name)") {
            nla_put_string($0, Int32(CTRL_ATTR_FAMILY_NAME), name)
        }
    }

    /// The controller's attributes lbnet reads (`ctrl_policy` in libnl's `genl_ctrl_resolve`).
    static let policy = GenericNetlinkAttributes.policy(maximum: Int32(CTRL_ATTR_VERSION), [
        Int32(CTRL_ATTR_FAMILY_ID): (NLA_U16, 0),
        Int32(CTRL_ATTR_FAMILY_NAME): (NLA_STRING, 0),
        Int32(CTRL_ATTR_VERSION): (NLA_U32, 0),
    ])

    /// Reads the controller's answer; `nil` when it carries no family id.
    public init?(reply: NetlinkMessage) {
        guard let family = GenericNetlinkAttributes.parse(reply, policy: Self.policy, { attributes -> GenericNetlinkFamily? in
            guard let id = attributes.uint16(Int32(CTRL_ATTR_FAMILY_ID)) else { return nil }
            return GenericNetlinkFamily(name: attributes.string(Int32(CTRL_ATTR_FAMILY_NAME)) ?? "", id: id,
                                        version: attributes.uint32(Int32(CTRL_ATTR_VERSION)) ?? 0)
        }) else { return nil }
        self = family
    }

    /// Asks the controller behind `socket` (a `NETLINK_GENERIC` socket) for the family `name`.
    /// Returns `nil` when no such family is registered in the kernel (`ENOENT`).
    public static func resolve(_ name: String, on socket: NetlinkSocket) throws(NetlinkError) -> GenericNetlinkFamily? {
        let request = lookupRequest(name: name)
        let replies: [NetlinkMessage]
        do throws(NetlinkError) {
            replies = try socket.request(request)
        } catch where error.errno == ENOENT {
            return nil
        }
        guard let family = replies.lazy.compactMap(GenericNetlinkFamily.init(reply:)).first else {
            throw NetlinkError(operation: request.operation, errno: EPROTO, kernelMessage: "the controller's answer has no family id")
        }
        return family
    }
}
