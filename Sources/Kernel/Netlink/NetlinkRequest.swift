/// One message of a netlink exchange: the message, the description used if the kernel refuses
/// it, the errnos that mean the work is already done (e.g. `ENODEV` when deleting a link that a
/// namespace's deletion took away in the meantime), and how the kernel answers it.
public struct NetlinkRequest: Sendable {
    /// How the kernel answers a request, and so when the exchange has all of its answer.
    public enum Completion: Sendable, Equatable {
        /// Data replies, if any, then an ACK or an error (`NLMSG_ERROR`). The message must set
        /// `NLM_F_ACK`.
        case acknowledgement
        /// A dump: data replies until `NLMSG_DONE`, or an error.
        case dump
        /// An answer only when the kernel refuses the message (no `NLM_F_ACK`, as inside an
        /// nftables transaction). The kernel answers in order, so the request is settled once a
        /// later request of the same exchange is answered; an exchange cannot end with one.
        case errorOnly
    }

    public let encoder: NetlinkEncoder
    public let operation: String
    public let alreadyDone: Set<Int32>
    public let completion: Completion

    public init(_ encoder: NetlinkEncoder, operation: String, alreadyDone: Set<Int32> = [],
                completion: Completion = .acknowledgement) {
        precondition(completion != .acknowledgement || encoder.flags & NetlinkConstants.Flags.ack != 0,
                     "\(operation): a request answered by an ACK must set NLM_F_ACK")
        self.encoder = encoder
        self.operation = operation
        self.alreadyDone = alreadyDone
        self.completion = completion
    }

    /// A dump request (`NLM_F_DUMP`).
    public static func dump(_ encoder: NetlinkEncoder, operation: String) -> NetlinkRequest {
        NetlinkRequest(encoder, operation: operation, completion: .dump)
    }
}
