/// rtnetlink over one persistent socket of one network namespace: dumps of links, addresses,
/// routes and rules, and batched changes.
public final class RouteNetlink: Sendable {
    public let socket: NetlinkSocket

    public init(socket: NetlinkSocket) { self.socket = socket }

    public func links() throws(NetlinkError) -> [Link] {
        try socket.dump(RouteMessages.dumpLinks(), operation: "dumping links").compactMap(Link.init)
    }

    public func addresses() throws(NetlinkError) -> [InterfaceAddress] {
        try socket.dump(RouteMessages.dumpAddresses(), operation: "dumping addresses").compactMap(InterfaceAddress.init)
    }

    /// The IPv4 rules that match a firewall mark (lbnet's; the kernel's own have none).
    public func rules() throws(NetlinkError) -> [RoutingRule] {
        try socket.dump(RouteMessages.dumpRules(), operation: "dumping rules").compactMap(RoutingRule.init)
    }

    public func routes() throws(NetlinkError) -> [Route] {
        try socket.dump(RouteMessages.dumpRoutes(), operation: "dumping routes").compactMap(Route.init)
    }

    /// Sends every request in one batch; see `NetlinkSocket.perform`.
    public func apply(_ requests: [NetlinkRequest]) throws(NetlinkBatchError) {
        try socket.perform(requests)
    }
}
