import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The command line's side of the daemon's control socket: sends one request and hands each
/// reply line to the caller until the answer ends. Used by short-lived commands on their main
/// thread, so its reads block.
public struct DaemonClient: Sendable {
    public let socketPath: String

    public init(socketPath: String) { self.socketPath = socketPath }

    /// Whether a daemon accepts connections on the socket.
    public var isReachable: Bool {
        guard let fd = try? connect() else { return false }
        close(fd)
        return true
    }

    /// Sends `request` and calls `onReply` for each reply until `done` or `failed`, which it
    /// returns.
    @discardableResult
    public func send(_ request: DaemonRequest, onReply: (DaemonReply) -> Void = { _ in }) throws -> DaemonReply {
        let fd = try connect()
        defer { close(fd) }
        var line = try JSONEncoder().encode(request)
        line.append(UInt8(ascii: "\n"))
        try line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                guard sent > 0 else { throw DaemonError.connection(socketPath, "sending the request", errno) }
                offset += sent
            }
        }
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let reply = try JSONDecoder().decode(DaemonReply.self, from: pending[pending.startIndex..<newline])
                pending = Data(pending[(newline + 1)...])
                switch reply {
                case .done, .failed: return reply
                default: onReply(reply)
                }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw DaemonError.connection(socketPath, "reading the answer (the daemon closed the connection; see its log)", count < 0 ? errno : 0) }
            pending.append(contentsOf: chunk[0..<count])
        }
    }

    private func connect() throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { throw DaemonError.socketPathTooLong(socketPath) }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path + [0]) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DaemonError.connection(socketPath, "creating a socket", errno) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw DaemonError.connection(socketPath, "connecting", code)
        }
        return fd
    }
}

/// Why the daemon could not be reached or started.
public enum DaemonError: Error, CustomStringConvertible, Equatable {
    case connection(String, String, Int32)
    case socketPathTooLong(String)
    case didNotStart(log: String, reason: String)
    case stillRunning(pid: Int32)

    public var description: String {
        switch self {
        case .connection(let path, let what, let code):
            "daemon socket \(path): \(what) failed" + (code == 0 ? "" : ": \(String(cString: strerror(code)))")
        case .socketPathTooLong(let path): "daemon socket path \(path) is longer than a Unix socket address allows (107 bytes); use a shorter --state-dir"
        case .didNotStart(let log, let reason): "the lbnet daemon did not start: \(reason) (see \(log))"
        case .stillRunning(let pid): "the lbnet daemon (pid \(pid)) did not exit"
        }
    }
}
