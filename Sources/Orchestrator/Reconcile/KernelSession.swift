import Kernel

/// The open netlink sockets of one run, per namespace and protocol, opened on first use and
/// reused for every dump and batch in that namespace.
public final class KernelSession {
    private var sockets: [String: RouteNetlink] = [:]
    private var ipvsClients: [String: IPVSClient] = [:]
    private var netfilterSockets: [String: NetlinkSocket] = [:]

    public init() {}

    public func route(in namespace: String) throws -> RouteNetlink {
        if let open = sockets[namespace] { return open }
        let socket = RouteNetlink(socket: try NetworkNamespace.socket(in: namespace, protocol: NetlinkConstants.Family.route))
        sockets[namespace] = socket
        return socket
    }

    /// The IPVS client of `namespace`; throws `IPVSUnavailableError` where the kernel has no IPVS.
    public func ipvs(in namespace: String) throws -> IPVSClient {
        if let open = ipvsClients[namespace] { return open }
        let client = try IPVSClient(socket: try NetworkNamespace.socket(in: namespace, protocol: NetlinkConstants.Family.generic))
        ipvsClients[namespace] = client
        return client
    }

    /// The nftables (`NETLINK_NETFILTER`) socket of `namespace`.
    public func netfilter(in namespace: String) throws -> NetlinkSocket {
        if let open = netfilterSockets[namespace] { return open }
        let socket = try NetworkNamespace.socket(in: namespace, protocol: NetlinkConstants.Family.netfilter)
        netfilterSockets[namespace] = socket
        return socket
    }

    /// Drops the sockets of a namespace that is being deleted (they would keep it alive).
    public func close(_ namespace: String) {
        sockets[namespace] = nil
        ipvsClients[namespace] = nil
        netfilterSockets[namespace] = nil
    }
}
