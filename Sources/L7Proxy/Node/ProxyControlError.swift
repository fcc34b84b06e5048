/// Why an exchange on a proxy's control socket failed; each case names the socket.
public enum ProxyControlError: Error, CustomStringConvertible, Equatable {
    /// The path does not fit in `sockaddr_un.sun_path` (108 bytes with the final NUL).
    case socketPathTooLong(path: String, bytes: Int)
    /// Nothing listens on the socket (yet), after waiting as long as the client was told to.
    case notListening(socket: String, reason: String)
    /// The time limit passed while waiting for `waitingFor`.
    case timedOut(socket: String, waitingFor: String, seconds: Double)
    /// The proxy closed the connection before answering.
    case closedWithoutAnswer(socket: String, request: String)
    /// The answer is not what the request expects.
    case invalidAnswer(socket: String, request: String, reason: String)

    public var description: String {
        switch self {
        case .socketPathTooLong(let path, let bytes):
            "control socket path \(path) is \(bytes) bytes; a Unix socket path has at most \(ProxyControlSocketPath.maximumBytes): use a shorter state directory"
        case .notListening(let socket, let reason): "nothing listens on control socket \(socket): \(reason)"
        case .timedOut(let socket, let waitingFor, let seconds):
            "timed out after \(seconds) s waiting for \(waitingFor) on control socket \(socket)"
        case .closedWithoutAnswer(let socket, let request): "control socket \(socket) closed without answering \(request)"
        case .invalidAnswer(let socket, let request, let reason): "control socket \(socket) answered \(request) with \(reason)"
        }
    }
}

/// The limit on control socket paths.
public enum ProxyControlSocketPath {
    /// `sun_path` is 108 bytes, and the path needs its terminating NUL.
    public static let maximumBytes = 107

    /// Throws ``ProxyControlError/socketPathTooLong(path:bytes:)`` for a path that cannot be bound.
    public static func validate(_ path: String) throws(ProxyControlError) {
        let bytes = path.utf8.count
        if bytes > maximumBytes { throw .socketPathTooLong(path: path, bytes: bytes) }
    }
}
