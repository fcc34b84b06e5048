/// Reading services and destinations out of the kernel's dump replies. Entries lbnet cannot
/// express (IPv6, firewall-mark services, protocols other than TCP and UDP) give `nil`.
extension IPVSService {
    public init?(reply: NetlinkMessage) {
        guard let nested = GenericNetlinkReply(reply)?.attributes[IPVSConstants.CommandAttribute.service] else { return nil }
        self.init(attributes: nested.nested)
    }

    init?(attributes: NetlinkAttributes) {
        typealias A = IPVSConstants.ServiceAttribute
        guard attributes[A.addressFamily]?.uint16 == IPVSConstants.addressFamilyIPv4,
              let number = attributes[A.protocol]?.uint16, let transport = IPVSProtocol(rawValue: number),
              let address = attributes[A.address]?.ipv4,
              let port = attributes[A.port]?.bigEndianUInt16 else { return nil }
        let rawFlags = attributes[A.flags]?.uint32 ?? 0
        let persistent = rawFlags & IPVSConstants.persistentFlag != 0
        self.init(transport, address: address, port: port,
                  scheduler: IPVSScheduler(rawValue: attributes[A.schedulerName]?.string ?? ""),
                  flags: IPVSSchedulerFlags(rawValue: rawFlags).intersection(.all),
                  timeout: persistent ? attributes[A.timeout]?.uint32 ?? 0 : 0)
    }
}

extension IPVSDestination {
    public init?(reply: NetlinkMessage) {
        guard let nested = GenericNetlinkReply(reply)?.attributes[IPVSConstants.CommandAttribute.destination] else { return nil }
        self.init(attributes: nested.nested)
    }

    init?(attributes: NetlinkAttributes) {
        typealias A = IPVSConstants.DestinationAttribute
        if let family = attributes[A.addressFamily]?.uint16, family != IPVSConstants.addressFamilyIPv4 { return nil }
        guard let address = attributes[A.address]?.ipv4,
              let port = attributes[A.port]?.bigEndianUInt16,
              let method = attributes[A.forwardingMethod]?.uint32,
              let forwarding = IPVSForwarding(rawValue: method) else { return nil }
        self.init(address: address, port: port, weight: attributes[A.weight]?.uint32 ?? 0, forwarding: forwarding,
                  counters: IPVSConnectionCounters(
                      activeConnections: attributes[A.activeConnections]?.uint32 ?? 0,
                      inactiveConnections: attributes[A.inactiveConnections]?.uint32 ?? 0))
    }
}
