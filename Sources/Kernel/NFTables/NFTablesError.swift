#if canImport(Glibc)
import Glibc
#endif

/// An nftables operation that failed, with the table it was about and what the kernel said.
public enum NFTablesError: Error, CustomStringConvertible, Equatable {
    /// A read-back request or the send of a batch failed (the `NetlinkError` names the request).
    case request(NetlinkError)
    /// The kernel refused the batch for `table`: nothing in it was committed. One error per
    /// refused message, each naming the object it was about, in batch order.
    case batchRejected(table: String, failures: [NetlinkError])
    /// The batch for `table` is larger than one netlink send may be (the socket's send buffer,
    /// `net.core.wmem_default` by default): nothing was sent.
    case batchTooLarge(table: String, messages: Int, bytes: Int)
    /// The ruleset kept changing under lbnet while it read or committed `table`.
    case concurrentChanges(table: String, attempts: Int)
    /// The kernel answered a read-back request with something lbnet could not parse.
    case unreadable(String)
    /// A ruleset spec that cannot be built, e.g. two listeners on one port.
    case invalidSpec(String)

    public var description: String {
        switch self {
        case .request(let error): "nftables: \(error)"
        case .batchRejected(let table, let failures):
            "nftables batch for table ip \(table) rejected, nothing was changed:\n"
                + failures.map { "  \($0)" }.joined(separator: "\n")
        case .batchTooLarge(let table, let messages, let bytes):
            "nftables batch for table ip \(table) is too large to send (\(messages) messages, \(bytes) bytes, over the netlink socket's send buffer); nothing was changed"
        case .concurrentChanges(let table, let attempts):
            "nftables ruleset kept changing while reconciling table ip \(table) (\(attempts) attempts)"
        case .unreadable(let what): "nftables: cannot parse \(what)"
        case .invalidSpec(let what): "nftables spec: \(what)"
        }
    }

    /// Whether the kernel refused a batch because the ruleset moved on since it was planned.
    public var isGenerationMismatch: Bool {
        if case .batchRejected(_, let failures) = self { return failures.contains { $0.errno == NFTablesError.restartErrno } }
        return false
    }

    /// `ERESTART`, what the kernel answers a batch whose generation id is stale.
    static let restartErrno = ERESTART
}
