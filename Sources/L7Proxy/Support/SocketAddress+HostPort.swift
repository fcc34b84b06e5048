import NIOCore

extension SocketAddress {
    /// The address as `ip:port` (`[ip]:port` for IPv6), the form lbnet logs and reports.
    public var hostPort: String {
        let ip = ipAddress ?? pathname ?? "unknown"
        let port = port.map(String.init) ?? "0"
        if case .v6 = self { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
