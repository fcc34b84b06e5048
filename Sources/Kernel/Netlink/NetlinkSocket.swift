import CNetlink
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A libmnl netlink socket of one protocol, opened in the network namespace of the thread that
/// creates it and usable from any thread afterwards (a socket stays in its namespace).
/// Requests are batched: many messages per `sendto`, ACKs matched back by sequence number.
public final class NetlinkSocket: @unchecked Sendable {
    private let socket: OpaquePointer
    /// The last sequence number used; holding the lock also serialises exchanges on the socket.
    private let sequence: Mutex<UInt32>
    public let portID: UInt32
    public let netlinkProtocol: Int32
    /// Allocated once: a dump or a batch's ACKs arrive as many datagrams.
    private let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: NetlinkSocket.receiveBufferBytes, alignment: 8)

    /// Largest number of bytes put into one `sendto`: well under the default socket send buffer.
    static let sendChunkBytes = 64 * 1024
    static let receiveBufferBytes = 256 * 1024
    static let socketBufferBytes = 8 * 1024 * 1024

    public init(protocol netlinkProtocol: Int32) throws(NetlinkError) {
        guard let socket = mnl_socket_open2(netlinkProtocol, Int32(SOCK_CLOEXEC.rawValue)) else {
            throw NetlinkError(operation: "opening netlink socket (protocol \(netlinkProtocol))", errno: Glibc.errno)
        }
        guard mnl_socket_bind(socket, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
            let code = Glibc.errno
            mnl_socket_close(socket)
            throw NetlinkError(operation: "binding netlink socket", errno: code)
        }
        var on: Int32 = 1
        _ = mnl_socket_setsockopt(socket, NETLINK_EXT_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
        _ = mnl_socket_setsockopt(socket, NETLINK_CAP_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
        // Large buffers: an nftables batch must fit in one send, and big dumps in the receive
        // queue. The *FORCE options (root) go past the system maxima; the plain ones are the fallback.
        let fd = mnl_socket_get_fd(socket)
        var size = Int32(Self.socketBufferBytes)
        for (forced, plain) in [(SO_SNDBUFFORCE, SO_SNDBUF), (SO_RCVBUFFORCE, SO_RCVBUF)]
            where setsockopt(fd, SOL_SOCKET, forced, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, plain, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        self.socket = socket
        self.netlinkProtocol = netlinkProtocol
        portID = mnl_socket_get_portid(socket)
        sequence = Mutex(UInt32(truncatingIfNeeded: time(nil)))
    }

    deinit {
        mnl_socket_close(socket)
        receiveBuffer.deallocate()
    }

    /// Sends one dump request and collects every reply until `NLMSG_DONE`.
    public func dump(_ request: NetlinkEncoder, operation: String) throws(NetlinkError) -> [NetlinkMessage] {
        try sequence.withLock { (last: inout UInt32) throws(NetlinkError) -> [NetlinkMessage] in
            last &+= 1
            let seq = last
            try sendAll(request.finish(sequence: seq), operation: operation)
            var replies: [NetlinkMessage] = []
            while true {
                for message in try receiveMessages(operation: operation) where message.sequence == seq {
                    switch message.type {
                    case NetlinkConstants.MessageType.done:
                        if message.flags & NetlinkConstants.Flags.dumpInterrupted != 0 {
                            throw NetlinkError(operation: operation, errno: EINTR, kernelMessage: "dump interrupted, retry")
                        }
                        return replies
                    case NetlinkConstants.MessageType.error:
                        if let (code, text) = message.errorCode, code != 0 {
                            throw NetlinkError(operation: operation, errno: code, kernelMessage: text)
                        }
                    default:
                        replies.append(message)
                    }
                }
            }
        }
    }

    /// Sends `requests` (each asking for an ACK) in as few `sendto` calls as fit, then waits for
    /// every ACK. The kernel processes all of them even when one fails; every failure is
    /// reported, in request order, naming its operation.
    public func perform(_ requests: [NetlinkRequest]) throws(NetlinkBatchError) {
        guard !requests.isEmpty else { return }
        try sequence.withLock { (last: inout UInt32) throws(NetlinkBatchError) in
            var failures: [NetlinkError] = []
            var index = 0
            while index < requests.count {
                var chunk: [UInt8] = []
                var pending: [UInt32: NetlinkRequest] = [:]
                var order: [UInt32] = []
                while index < requests.count, chunk.isEmpty || chunk.count + requests[index].encoder.bytes.count <= Self.sendChunkBytes {
                    last &+= 1
                    let seq = last
                    chunk += requests[index].encoder.finish(sequence: seq)
                    pending[seq] = requests[index]
                    order.append(seq)
                    index += 1
                }
                var answers: [UInt32: NetlinkError] = [:]
                do throws(NetlinkError) {
                    try sendAll(chunk, operation: requests[index - 1].operation)
                    while !pending.isEmpty {
                        for message in try receiveMessages(operation: "waiting for netlink ACKs") {
                            guard let request = pending[message.sequence],
                                  message.type == NetlinkConstants.MessageType.error,
                                  let (code, text) = message.errorCode else { continue }
                            pending[message.sequence] = nil
                            if code != 0 && !request.alreadyDone.contains(code) {
                                answers[message.sequence] = NetlinkError(operation: request.operation, errno: code, kernelMessage: text)
                            }
                        }
                    }
                } catch {
                    failures.append(error)
                    throw NetlinkBatchError(failures: failures)
                }
                failures += order.compactMap { answers[$0] }
            }
            if !failures.isEmpty { throw NetlinkBatchError(failures: failures) }
        }
    }

    /// Sends one request (which must ask for an ACK) and returns the kernel's replies to it, for
    /// requests that answer with data, e.g. a generic netlink family lookup.
    public func query(_ request: NetlinkEncoder, operation: String) throws(NetlinkError) -> [NetlinkMessage] {
        try sequence.withLock { (last: inout UInt32) throws(NetlinkError) -> [NetlinkMessage] in
            last &+= 1
            let seq = last
            try sendAll(request.finish(sequence: seq), operation: operation)
            var replies: [NetlinkMessage] = []
            while true {
                for message in try receiveMessages(operation: operation) where message.sequence == seq {
                    guard message.type == NetlinkConstants.MessageType.error, let (code, text) = message.errorCode else {
                        replies.append(message)
                        continue
                    }
                    if code != 0 { throw NetlinkError(operation: operation, errno: code, kernelMessage: text) }
                    return replies
                }
            }
        }
    }

    /// Sends raw bytes (already finished messages) in one `sendto`; used by nftables batches,
    /// which carry their own sequence numbers.
    public func sendRaw(_ bytes: [UInt8], operation: String) throws(NetlinkError) {
        try sequence.withLock { (_: inout UInt32) throws(NetlinkError) in try sendAll(bytes, operation: operation) }
    }

    /// Receives the next datagram's messages; for callers that drive their own exchange.
    public func receiveRaw(operation: String) throws(NetlinkError) -> [NetlinkMessage] {
        try sequence.withLock { (_: inout UInt32) throws(NetlinkError) -> [NetlinkMessage] in
            try receiveMessages(operation: operation)
        }
    }

    /// Reserves `count` consecutive sequence numbers and returns the first.
    public func reserveSequences(_ count: Int) -> UInt32 {
        sequence.withLock { last in
            let first = last &+ 1
            last &+= UInt32(count)
            return first
        }
    }

    private func sendAll(_ bytes: [UInt8], operation: String) throws(NetlinkError) {
        let sent = bytes.withUnsafeBytes { mnl_socket_sendto(socket, $0.baseAddress, $0.count) }
        guard sent == bytes.count else {
            throw NetlinkError(operation: operation, errno: sent < 0 ? Glibc.errno : EMSGSIZE)
        }
    }

    /// Receives into the socket's one receive buffer (used under the lock only).
    private func receiveMessages(operation: String) throws(NetlinkError) -> [NetlinkMessage] {
        while true {
            let received = mnl_socket_recvfrom(socket, receiveBuffer.baseAddress, receiveBuffer.count)
            if received < 0 {
                if Glibc.errno == EINTR { continue }
                throw NetlinkError(operation: operation, errno: Glibc.errno)
            }
            return NetlinkMessage.split(Array(receiveBuffer[0..<received]))
        }
    }
}

/// One message for `NetlinkSocket.perform`, with the description used if the kernel refuses it
/// and the errnos that mean the work is already done (e.g. `ENODEV` when deleting a link that a
/// namespace's deletion took away in the meantime).
public struct NetlinkRequest: Sendable {
    public let encoder: NetlinkEncoder
    public let operation: String
    public let alreadyDone: Set<Int32>

    public init(_ encoder: NetlinkEncoder, operation: String, alreadyDone: Set<Int32> = []) {
        self.encoder = encoder
        self.operation = operation
        self.alreadyDone = alreadyDone
    }
}

/// Every request of a batch that the kernel refused.
public struct NetlinkBatchError: Error, CustomStringConvertible {
    public let failures: [NetlinkError]
    public var description: String { failures.map(\.description).joined(separator: "\n") }
}
