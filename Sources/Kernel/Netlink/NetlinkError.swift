#if canImport(Glibc)
import Glibc
#endif

/// A netlink request the kernel refused, or a socket call that failed: the operation that was
/// attempted, the errno, and the kernel's extended-ack message when it gave one.
public struct NetlinkError: Error, CustomStringConvertible, Equatable {
    public let operation: String
    public let errno: Int32
    public let kernelMessage: String?

    public init(operation: String, errno: Int32, kernelMessage: String? = nil) {
        self.operation = operation
        self.errno = errno
        self.kernelMessage = kernelMessage
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        let name = Errno.name(errno)
        var text = "\(operation): \(name) (\(reason))"
        if let kernelMessage, !kernelMessage.isEmpty { text += ": \(kernelMessage)" }
        return text
    }
}

/// Symbolic names of the errno values netlink commonly returns, for messages people can search.
enum Errno {
    static func name(_ code: Int32) -> String {
        switch code {
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case ESRCH: "ESRCH"
        case EBUSY: "EBUSY"
        case EEXIST: "EEXIST"
        case ENODEV: "ENODEV"
        case EINVAL: "EINVAL"
        case ENOSPC: "ENOSPC"
        case EOPNOTSUPP: "EOPNOTSUPP"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case ENETUNREACH: "ENETUNREACH"
        case ENOBUFS: "ENOBUFS"
        case EAFNOSUPPORT: "EAFNOSUPPORT"
        case EPROTONOSUPPORT: "EPROTONOSUPPORT"
        default: "errno \(code)"
        }
    }
}
