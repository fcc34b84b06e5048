import Kernel

/// The open rtnetlink sockets of one run, one per namespace, opened on first use and reused
/// for every dump and batch in that namespace.
public final class KernelSession {
    private var sockets: [String: RouteNetlink] = [:]

    public init() {}

    public func route(in namespace: String) throws -> RouteNetlink {
        if let open = sockets[namespace] { return open }
        let socket = RouteNetlink(socket: try NetworkNamespace.socket(in: namespace, protocol: NetlinkConstants.Family.route))
        sockets[namespace] = socket
        return socket
    }

    /// Drops the socket of a namespace that is being deleted (it would keep the namespace alive).
    public func close(_ namespace: String) { sockets[namespace] = nil }
}
