import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// A libmnl netlink socket of one protocol, bound to a kernel-assigned port, with extended
/// ACKs (the kernel's error text), capped ACKs and large socket buffers. It is not `Sendable`:
/// `NetlinkSocket` keeps it behind its lock, the one place its pointer and buffer are used.
final class LibmnlTransport: NetlinkTransport {
    private let socket: OpaquePointer
    /// Allocated once: a dump or a batch's ACKs arrive as many datagrams.
    private let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: LibmnlTransport.receiveBufferBytes, alignment: 8)

    static let receiveBufferBytes = 256 * 1024
    static let socketBufferBytes = 8 * 1024 * 1024

    /// Opens the socket in the network namespace of the calling thread.
    init(protocol netlinkProtocol: Int32) throws(NetlinkError) {
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
    }

    deinit {
        mnl_socket_close(socket)
        receiveBuffer.deallocate()
    }

    func send(_ datagram: [UInt8]) throws(NetlinkTransportError) {
        let sent = datagram.withUnsafeBytes { mnl_socket_sendto(socket, $0.baseAddress, $0.count) }
        guard sent == datagram.count else { throw NetlinkTransportError(errno: sent < 0 ? Glibc.errno : EMSGSIZE) }
    }

    func receive() throws(NetlinkTransportError) -> [UInt8] {
        while true {
            let received = mnl_socket_recvfrom(socket, receiveBuffer.baseAddress, receiveBuffer.count)
            if received >= 0 { return Array(receiveBuffer[0..<received]) }
            if Glibc.errno != EINTR { throw NetlinkTransportError(errno: Glibc.errno) }
        }
    }
}
