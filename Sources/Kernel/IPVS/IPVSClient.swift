/// IPVS over one generic netlink socket, and so over the IPVS table of the network namespace
/// the socket was opened in: dumps of services and destinations, and batched changes.
/// The IPVS family id is looked up once, when the client is made.
public final class IPVSClient: Sendable {
    public let socket: NetlinkSocket
    public let family: GenericNetlinkFamily

    /// Resolves the IPVS family on `socket` (a `NETLINK_GENERIC` socket). Throws
    /// `IPVSUnavailableError` when the kernel has no IPVS, `NetlinkError` when the lookup fails.
    public init(socket: NetlinkSocket) throws {
        guard let family = try GenericNetlinkFamily.resolve(IPVSConstants.familyName, on: socket) else {
            throw IPVSUnavailableError()
        }
        self.socket = socket
        self.family = family
    }

    /// The table's services that lbnet can express (IPv4 TCP and UDP), in kernel order.
    public func services() throws(NetlinkError) -> [IPVSService] {
        try socket.request(IPVSMessages.dumpServices(family: family.id)).compactMap(IPVSService.init(reply:))
    }

    /// The destinations of `service` with their counters, in kernel order (newest first).
    public func destinations(of service: IPVSService) throws(NetlinkError) -> [IPVSDestination] {
        try socket.request(IPVSMessages.dumpDestinations(of: service, family: family.id)).compactMap(IPVSDestination.init(reply:))
    }

    /// The whole table: one dump of the services, then one dump per service.
    public func table() throws(NetlinkError) -> IPVSTable {
        var destinations: [IPVSService: [IPVSDestination]] = [:]
        for service in try services() {
            destinations[service] = try self.destinations(of: service)
        }
        return IPVSTable(destinations)
    }

    /// Sends every change in one `NetlinkSocket.perform` batch, many messages per `sendto`.
    /// IPVS is not transactional: changes before and after a refused one still take effect.
    /// Every refusal is reported, naming its service and destination.
    public func apply(_ changes: [IPVSChange]) throws(NetlinkBatchError) {
        try socket.perform(changes.map { IPVSMessages.request(for: $0, family: family.id) })
    }

    /// Reads the table, applies what differs from `desired`, and returns the changes it sent.
    @discardableResult
    public func reconcile(to desired: IPVSTable) throws -> [IPVSChange] {
        let changes = IPVSPlanner.diff(desired: desired, observed: try table())
        try apply(changes)
        return changes
    }

    /// Deletes every service and destination of the table.
    public func flush() throws(NetlinkBatchError) {
        try socket.perform([IPVSMessages.flush(family: family.id)])
    }
}
