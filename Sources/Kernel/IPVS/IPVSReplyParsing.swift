import CLibnl

/// Reading services and destinations out of the kernel's dump replies with libnl-genl, under
/// the policies ipvsadm's libipvs uses. Entries lbnet cannot express (IPv6, firewall-mark
/// services, protocols other than TCP and UDP) give `nil`.
enum IPVSReply {
    typealias A = GenericNetlinkAttributes

    static let commandPolicy = A.policy(maximum: Int32(IPVS_CMD_ATTR_TIMEOUT_UDP), [
        Int32(IPVS_CMD_ATTR_SERVICE): (NLA_NESTED, 0),
        Int32(IPVS_CMD_ATTR_DEST): (NLA_NESTED, 0),
        Int32(IPVS_CMD_ATTR_TIMEOUT_TCP): (NLA_U32, 0),
    ])

    static let servicePolicy = A.policy(maximum: Int32(IPVS_SVC_ATTR_STATS64), [
        Int32(IPVS_SVC_ATTR_AF): (NLA_U16, 0),
        Int32(IPVS_SVC_ATTR_PROTOCOL): (NLA_U16, 0),
        Int32(IPVS_SVC_ATTR_ADDR): (NLA_UNSPEC, 4),
        Int32(IPVS_SVC_ATTR_PORT): (NLA_U16, 0),
        Int32(IPVS_SVC_ATTR_FWMARK): (NLA_U32, 0),
        Int32(IPVS_SVC_ATTR_SCHED_NAME): (NLA_STRING, 0),
        Int32(IPVS_SVC_ATTR_FLAGS): (NLA_UNSPEC, UInt16(MemoryLayout<ip_vs_flags>.size)),
        Int32(IPVS_SVC_ATTR_TIMEOUT): (NLA_U32, 0),
        Int32(IPVS_SVC_ATTR_STATS64): (NLA_NESTED, 0),
    ])

    static let destinationPolicy = A.policy(maximum: Int32(IPVS_DEST_ATTR_STATS64), [
        Int32(IPVS_DEST_ATTR_ADDR): (NLA_UNSPEC, 4),
        Int32(IPVS_DEST_ATTR_PORT): (NLA_U16, 0),
        Int32(IPVS_DEST_ATTR_FWD_METHOD): (NLA_U32, 0),
        Int32(IPVS_DEST_ATTR_WEIGHT): (NLA_U32, 0),
        Int32(IPVS_DEST_ATTR_ACTIVE_CONNS): (NLA_U32, 0),
        Int32(IPVS_DEST_ATTR_INACT_CONNS): (NLA_U32, 0),
        Int32(IPVS_DEST_ATTR_ADDR_FAMILY): (NLA_U16, 0),
        Int32(IPVS_DEST_ATTR_STATS64): (NLA_NESTED, 0),
    ])

    static let statsPolicy = A.policy(maximum: Int32(IPVS_STATS_ATTR_OUTBYTES), [
        Int32(IPVS_STATS_ATTR_CONNS): (NLA_U64, 0),
        Int32(IPVS_STATS_ATTR_INPKTS): (NLA_U64, 0),
        Int32(IPVS_STATS_ATTR_OUTPKTS): (NLA_U64, 0),
        Int32(IPVS_STATS_ATTR_INBYTES): (NLA_U64, 0),
        Int32(IPVS_STATS_ATTR_OUTBYTES): (NLA_U64, 0),
    ])

    /// Calls `body` with the attributes nested in command attribute `type` of `reply`.
    static func nested<T>(_ reply: NetlinkMessage, _ type: Int, policy: [nla_policy], _ body: (A) -> T?) -> T? {
        A.parse(reply, policy: commandPolicy) { command in command.nested(Int32(type), policy: policy).flatMap(body) }
    }

    /// A service of the dump: a firewall-mark service when the kernel sent a non-zero mark (it
    /// then sends no protocol, address or port), else an address service.
    static func service(_ a: A) -> IPVSService? {
        guard a.uint16(Int32(IPVS_SVC_ATTR_AF)) == IPVSConstants.addressFamilyIPv4 else { return nil }
        let rawFlags = a[Int32(IPVS_SVC_ATTR_FLAGS)].map { nla_data($0).load(as: ip_vs_flags.self).flags } ?? 0
        let persistent = rawFlags & IPVSConstants.persistentFlag != 0
        let scheduler = IPVSScheduler(rawValue: a.string(Int32(IPVS_SVC_ATTR_SCHED_NAME)) ?? "")
        let flags = IPVSSchedulerFlags(rawValue: rawFlags).intersection(.all)
        let timeout = persistent ? a.uint32(Int32(IPVS_SVC_ATTR_TIMEOUT)) ?? 0 : 0
        if let mark = a.uint32(Int32(IPVS_SVC_ATTR_FWMARK)), mark != 0 {
            return IPVSService(firewallMark: mark, scheduler: scheduler, flags: flags, timeout: timeout)
        }
        guard let number = a.uint16(Int32(IPVS_SVC_ATTR_PROTOCOL)), let transport = IPVSProtocol(rawValue: number),
              let address = a.ipv4(Int32(IPVS_SVC_ATTR_ADDR)),
              let port = a.bigEndianUInt16(Int32(IPVS_SVC_ATTR_PORT)) else { return nil }
        return IPVSService(transport, address: address, port: port, scheduler: scheduler, flags: flags, timeout: timeout)
    }

    static func destination(_ a: A) -> IPVSDestination? {
        if let family = a.uint16(Int32(IPVS_DEST_ATTR_ADDR_FAMILY)), family != IPVSConstants.addressFamilyIPv4 { return nil }
        guard let address = a.ipv4(Int32(IPVS_DEST_ATTR_ADDR)),
              let port = a.bigEndianUInt16(Int32(IPVS_DEST_ATTR_PORT)),
              let method = a.uint32(Int32(IPVS_DEST_ATTR_FWD_METHOD)),
              let forwarding = IPVSForwarding(rawValue: method) else { return nil }
        return IPVSDestination(address: address, port: port, weight: a.uint32(Int32(IPVS_DEST_ATTR_WEIGHT)) ?? 0, forwarding: forwarding,
                               counters: IPVSConnectionCounters(
                                   activeConnections: a.uint32(Int32(IPVS_DEST_ATTR_ACTIVE_CONNS)) ?? 0,
                                   inactiveConnections: a.uint32(Int32(IPVS_DEST_ATTR_INACT_CONNS)) ?? 0))
    }

    /// The `STATS64` counters nested in `type` of `a`; zeros when the kernel sent none.
    static func stats(_ a: A, _ type: Int) -> IPVSStats {
        guard let s = a.nested(Int32(type), policy: statsPolicy) else { return IPVSStats() }
        return IPVSStats(connections: s.uint64(Int32(IPVS_STATS_ATTR_CONNS)) ?? 0,
                         inPackets: s.uint64(Int32(IPVS_STATS_ATTR_INPKTS)) ?? 0,
                         outPackets: s.uint64(Int32(IPVS_STATS_ATTR_OUTPKTS)) ?? 0,
                         inBytes: s.uint64(Int32(IPVS_STATS_ATTR_INBYTES)) ?? 0,
                         outBytes: s.uint64(Int32(IPVS_STATS_ATTR_OUTBYTES)) ?? 0)
    }
}

extension IPVSService {
    public init?(reply: NetlinkMessage) {
        guard let service = IPVSReply.nested(reply, IPVS_CMD_ATTR_SERVICE, policy: IPVSReply.servicePolicy, IPVSReply.service) else {
            return nil
        }
        self = service
    }
}

extension IPVSDestination {
    public init?(reply: NetlinkMessage) {
        guard let destination = IPVSReply.nested(reply, IPVS_CMD_ATTR_DEST, policy: IPVSReply.destinationPolicy,
                                                 IPVSReply.destination) else { return nil }
        self = destination
    }
}

extension IPVSServiceStatistics {
    /// A service dump reply with its `STATS64`; `nil` for services lbnet cannot express.
    public init?(reply: NetlinkMessage) {
        guard let entry = IPVSReply.nested(reply, IPVS_CMD_ATTR_SERVICE, policy: IPVSReply.servicePolicy, { a in
            IPVSReply.service(a).map { IPVSServiceStatistics(service: $0, stats: IPVSReply.stats(a, IPVS_SVC_ATTR_STATS64), destinations: []) }
        }) else { return nil }
        self = entry
    }
}

extension IPVSDestinationStatistics {
    /// A destination dump reply with its `STATS64`; `nil` for destinations lbnet cannot express.
    public init?(reply: NetlinkMessage) {
        guard let entry = IPVSReply.nested(reply, IPVS_CMD_ATTR_DEST, policy: IPVSReply.destinationPolicy, { a in
            IPVSReply.destination(a).map { IPVSDestinationStatistics(destination: $0, stats: IPVSReply.stats(a, IPVS_DEST_ATTR_STATS64)) }
        }) else { return nil }
        self = entry
    }
}

extension IPVSClient {
    /// The namespace's idle timeout of established TCP connections, in seconds.
    public func tcpTimeout() throws(NetlinkError) -> UInt32? {
        try socket.request(IPVSMessages.getConfig(family: family.id)).lazy.compactMap { reply in
            GenericNetlinkAttributes.parse(reply, policy: IPVSReply.commandPolicy) { $0.uint32(Int32(IPVS_CMD_ATTR_TIMEOUT_TCP)) }
        }.first
    }
}
