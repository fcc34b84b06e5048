import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A netlink socket of one protocol, opened in the network namespace of the thread that
/// creates it and usable from any thread afterwards (a socket stays in its namespace).
/// Every conversation with the kernel is one `exchange`: a batch of requests sent in as few
/// datagrams as fit, with every ACK, error and data reply collected, all while holding the
/// socket, so that exchanges from different threads never interleave.
public final class NetlinkSocket: Sendable {
    /// The transport (the libmnl pointer and receive buffer) and the sequence numbers: only
    /// touched under this lock, for the whole of an exchange.
    private let connection: Mutex<NetlinkConnection>

    /// Opens a libmnl socket of `netlinkProtocol` in the calling thread's network namespace.
    public convenience init(protocol netlinkProtocol: Int32) throws(NetlinkError) {
        self.init(transport: try LibmnlTransport(protocol: netlinkProtocol))
    }

    /// A socket over `transport`; the first exchange numbers its requests from
    /// `lastSequence + 1` (by default, from the clock, as libmnl's examples do).
    public init(transport: sending any NetlinkTransport, lastSequence: UInt32 = UInt32(truncatingIfNeeded: time(nil))) {
        connection = Mutex(NetlinkConnection(transport: transport, lastSequence: lastSequence))
    }

    /// Sends `batch` and returns the kernel's answer to each request, in request order. Throws
    /// only when a send or receive fails (naming the operation); refusals are in the answers.
    public func exchange(_ batch: NetlinkBatch) throws(NetlinkError) -> [NetlinkAnswer] {
        try connection.withLock { (connection: inout NetlinkConnection) throws(NetlinkError) -> [NetlinkAnswer] in
            try connection.exchange(batch)
        }
    }

    /// One request: its data replies, or the kernel's error.
    public func request(_ request: NetlinkRequest) throws(NetlinkError) -> [NetlinkMessage] {
        try exchange(NetlinkBatch([request]))[0].get()
    }

    /// One dump: every reply until `NLMSG_DONE`, or the kernel's error.
    public func dump(_ encoder: NetlinkEncoder, operation: String) throws(NetlinkError) -> [NetlinkMessage] {
        try request(.dump(encoder, operation: operation))
    }

    /// Requests that only need ACKs, in one exchange. The kernel processes all of them even
    /// when one fails; every failure is reported, in request order, naming its operation.
    public func perform(_ requests: [NetlinkRequest]) throws(NetlinkBatchError) {
        let failures: [NetlinkError]
        do { failures = try exchange(NetlinkBatch(requests)).failures } catch { failures = [error] }
        if !failures.isEmpty { throw NetlinkBatchError(failures: failures) }
    }
}
