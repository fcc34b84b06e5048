import CLibnl

/// Builds generic netlink requests with libnl-genl-3: `genlmsg_put` writes the `nlmsghdr`
/// (its type is the family id) and the `genlmsghdr`, then `attributes` adds the attributes
/// with libnl's `nla_put_*` on the `nl_msg`.
enum GenericNetlinkMessage {
    static func request(family: UInt16, command: UInt8, version: UInt8, flags: Int32 = 0, operation: String,
                        completion: NetlinkRequest.Completion = .acknowledgement,
                        _ attributes: (OpaquePointer) -> Int32 = { _ in 0 }) -> NetlinkRequest {
        LibnlMessage.request(operation: operation, completion: completion) { message in
            message = nlmsg_alloc()
            guard let message else { return -NLE_NOMEM }
            guard genlmsg_put(message, UInt32(NL_AUTO_PORT), UInt32(NL_AUTO_SEQ), Int32(family), 0, flags, command, version) != nil else {
                return -NLE_MSGSIZE
            }
            return attributes(message)
        }
    }

    /// Adds attribute `type` with the attributes `body` puts inside it (`nla_nest_start`).
    static func nest(_ message: OpaquePointer, _ type: Int32, _ body: (OpaquePointer) -> Int32) -> Int32 {
        guard let start = nla_nest_start(message, type) else { return -NLE_MSGSIZE }
        let code = body(message)
        guard code >= 0 else { return code }
        return nla_nest_end(message, start)
    }
}
