import Kernel

/// Reads one NLB node's counters from its kernel datapath over netlink, with sockets opened
/// inside the node's namespace (and closed after): nftables rule counters and conntrack
/// entries, or IPVS service statistics (which count no resets). Blocking: runs on the metrics
/// thread.
enum NetworkLoadBalancerCounterReader {
    static func read(_ spec: NodeDatapathSpec) throws -> NetworkLoadBalancerNodeCounters {
        let addresses = Set([spec.virtualAddress] + spec.additionalAddresses)
        let listeners = Set(spec.listeners.map { "\($0.protocol.rawValue)/\($0.port)" })
        var counters = NetworkLoadBalancerNodeCounters()
        switch spec.datapath {
        case .ipvs:
            let client = try IPVSClient(socket: try NetworkNamespace.socket(in: spec.namespace, protocol: NetlinkConstants.Family.generic))
            // TLS listeners are firewall-mark services (the terminator's marked connections).
            let marks = Set(spec.listeners.compactMap(\.terminatorMark))
            for entry in try client.statistics()
            where addresses.contains(entry.service.address) || entry.service.firewallMark.map(marks.contains) == true {
                counters.newFlows += entry.stats.connections
                counters.processedBytes += entry.stats.inBytes + entry.stats.outBytes
                counters.activeFlows += entry.openConnections
            }
        default:
            let socket = try NetworkNamespace.socket(in: spec.namespace, protocol: NetlinkConstants.Family.netfilter)
            let rules = try NFTablesNetlink(socket: socket).ruleCounters(table: NLBNodeTable.name)
            for rule in rules {
                if rule.isRule(purposePrefix: NLBNodeTable.dnatPurposePrefix) { counters.newFlows += rule.packets }
                if rule.isRule(purpose: NLBNodeTable.processedBytesPurpose) { counters.processedBytes += rule.bytes }
            }
            counters.clientResets = rules.first { $0.isRule(purpose: NLBNodeTable.clientResetsPurpose) }?.packets
            counters.targetResets = rules.first { $0.isRule(purpose: NLBNodeTable.targetResetsPurpose) }?.packets
            counters.activeFlows = UInt64(try ConntrackFlows.dump(on: socket).count { entry in
                entry.destinationTranslated && entry.isActive && addresses.contains(entry.destination)
                    && listeners.contains("\(entry.protocolNumber == 17 ? "udp" : "tcp")/\(entry.destinationPort)")
                    && (entry.protocolNumber == 6 || entry.protocolNumber == 17)
            })
        }
        return counters
    }
}
