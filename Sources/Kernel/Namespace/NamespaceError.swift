#if canImport(Glibc)
import Glibc
#endif

/// A namespace or file-system operation that failed, with the errno and what was attempted.
public struct SystemError: Error, CustomStringConvertible, Equatable {
    public let operation: String
    public let errno: Int32

    public init(_ operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    public var description: String { "\(operation): \(Errno.name(errno)) (\(String(cString: strerror(errno))))" }
}
