/// IPVS's cumulative counters of a service or a destination (`IPVS_*_ATTR_STATS64`): the
/// connections it scheduled, and the packets and bytes (IP headers included) it forwarded in
/// (client to real server) and out (replies, seen by IPVS in NAT mode).
public struct IPVSStats: Hashable, Sendable {
    public var connections: UInt64
    public var inPackets: UInt64
    public var outPackets: UInt64
    public var inBytes: UInt64
    public var outBytes: UInt64

    public init(connections: UInt64 = 0, inPackets: UInt64 = 0, outPackets: UInt64 = 0, inBytes: UInt64 = 0, outBytes: UInt64 = 0) {
        self.connections = connections
        self.inPackets = inPackets
        self.outPackets = outPackets
        self.inBytes = inBytes
        self.outBytes = outBytes
    }
}

/// One IPVS service with its counters and its destinations' (for metrics; the planner uses
/// ``IPVSService`` and ``IPVSDestination`` alone).
public struct IPVSServiceStatistics: Sendable, Equatable {
    public let service: IPVSService
    public let stats: IPVSStats
    public let destinations: [IPVSDestinationStatistics]

    public init(service: IPVSService, stats: IPVSStats, destinations: [IPVSDestinationStatistics]) {
        self.service = service
        self.stats = stats
        self.destinations = destinations
    }

    /// Connections open now: for TCP the established ones (IPVS's ActiveConn), for UDP every
    /// entry IPVS keeps (it counts UDP entries as inactive).
    public var openConnections: UInt64 {
        destinations.reduce(0) { total, destination in
            let counters = destination.destination.counters
            return total + UInt64(counters.activeConnections)
                + (service.protocol == .udp ? UInt64(counters.inactiveConnections) : 0)
        }
    }
}

/// One destination of a service with its cumulative counters.
public struct IPVSDestinationStatistics: Sendable, Equatable {
    public let destination: IPVSDestination
    public let stats: IPVSStats

    public init(destination: IPVSDestination, stats: IPVSStats) {
        self.destination = destination
        self.stats = stats
    }
}

extension IPVSClient {
    /// Every service with its counters and its destinations' (one service dump, then one
    /// destination dump per service). Reading counters changes nothing in the datapath.
    public func statistics() throws(NetlinkError) -> [IPVSServiceStatistics] {
        let services = try socket.request(IPVSMessages.dumpServices(family: family.id)).compactMap(IPVSServiceStatistics.init(reply:))
        var result: [IPVSServiceStatistics] = []
        for entry in services {
            let destinations = try socket.request(IPVSMessages.dumpDestinations(of: entry.service, family: family.id))
                .compactMap(IPVSDestinationStatistics.init(reply:))
            result.append(IPVSServiceStatistics(service: entry.service, stats: entry.stats, destinations: destinations))
        }
        return result
    }
}
