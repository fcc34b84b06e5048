import CLibnl

/// Turns messages libnl builds (`struct nl_msg`) into requests of a `NetlinkSocket` exchange,
/// and received messages back into `nl_msg`s for libnl's parsers. lbnet sends libnl's bytes
/// over its own socket rather than with `nl_send_auto`, so that a whole batch goes out in a
/// few `sendto`s and every answer is matched to its request (libnl sends and waits one
/// message at a time).
enum LibnlMessage {
    /// The message `build` makes, as a request answered by an ACK: `NLM_F_REQUEST | NLM_F_ACK`
    /// are added, as `nl_complete_msg` would. `build` stores a new message and returns libnl's
    /// error code; libnl fails only when it cannot allocate, which is fatal here as for
    /// any Swift allocation.
    static func request(operation: String, alreadyDone: Set<Int32> = [], completion: NetlinkRequest.Completion = .acknowledgement,
                        _ build: (inout OpaquePointer?) -> Int32) -> NetlinkRequest {
        var message: OpaquePointer?
        let code = build(&message)
        guard code >= 0, let message else {
            preconditionFailure("libnl could not build the message for \(operation): \(String(cString: nl_geterror(code)))")
        }
        defer { nlmsg_free(message) }
        return request(message, operation: operation, alreadyDone: alreadyDone, completion: completion)
    }

    /// A copy of `message` (which the caller still owns and frees) as a request.
    static func request(_ message: OpaquePointer, operation: String, alreadyDone: Set<Int32> = [],
                        completion: NetlinkRequest.Completion = .acknowledgement) -> NetlinkRequest {
        let header = nlmsg_hdr(message)!
        header.pointee.nlmsg_flags |= UInt16(NLM_F_REQUEST) | (completion == .acknowledgement ? UInt16(NLM_F_ACK) : 0)
        let bytes = UnsafeRawBufferPointer(start: header, count: Int(header.pointee.nlmsg_len))
        return NetlinkRequest(NetlinkEncoder(message: bytes), operation: operation, alreadyDone: alreadyDone, completion: completion)
    }

    /// Calls `body` with `received` as an `nl_msg` of netlink protocol `netlinkProtocol`, as
    /// libnl's parsers want it; `nil` if libnl cannot allocate it.
    static func withMessage<T>(_ received: NetlinkMessage, protocol netlinkProtocol: Int32, _ body: (OpaquePointer) -> T?) -> T? {
        received.withHeader { header in
            guard let message = nlmsg_convert(UnsafeMutablePointer(mutating: header)) else { return nil }
            defer { nlmsg_free(message) }
            nlmsg_set_proto(message, netlinkProtocol)
            return body(message)
        }
    }

    /// The libnl object (`struct nl_object`) `received` parses into with libnl's cache
    /// operations for its protocol and type, e.g. an `rtnl_link` for `RTM_NEWLINK`; the
    /// caller owns it (`nl_object_put`). `nil` when libnl does not parse it.
    static func object(_ received: NetlinkMessage, protocol netlinkProtocol: Int32) -> OpaquePointer? {
        withMessage(received, protocol: netlinkProtocol) { message in
            var parsed: OpaquePointer?
            _ = nl_msg_parse(message, { object, context in
                guard let object, let context else { return }
                let slot = context.assumingMemoryBound(to: OpaquePointer?.self)
                guard slot.pointee == nil else { return }
                nl_object_get(object)
                slot.pointee = object
            }, &parsed)
            return parsed
        }
    }
}
