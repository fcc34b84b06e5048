/// Carries whole datagrams between a `NetlinkSocket` and the kernel: `LibmnlTransport` on a
/// real socket, or a test double that answers like the kernel would. A transport is used by
/// one exchange at a time: the socket only touches it while holding its lock.
public protocol NetlinkTransport {
    /// Sends `datagram` in one `sendto`; a partial send is `EMSGSIZE`.
    mutating func send(_ datagram: [UInt8]) throws(NetlinkTransportError)
    /// Waits for the next datagram and returns its bytes.
    mutating func receive() throws(NetlinkTransportError) -> [UInt8]
}

/// A send or receive that failed, with its errno; the exchange adds the operation.
public struct NetlinkTransportError: Error, Equatable {
    public let errno: Int32

    public init(errno: Int32) { self.errno = errno }
}
