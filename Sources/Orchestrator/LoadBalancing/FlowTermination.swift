import Kernel

/// AWS's `deregistration_delay.connection_termination.enabled` (when a target's deregistration
/// delay ends, its established flows are cut instead of left to live) and
/// `target_health_state.unhealthy.connection_termination.enabled` (the flows of a target that
/// turns unhealthy are cut).
///
/// On nftables the node forgets the flows (their conntrack entries are deleted over netlink);
/// a TCP flow's next packet is then not balanced (the DNAT rules take only a first SYN) and the
/// node resets it; a UDP flow's next datagram is balanced again like a new flow. On IPVS the
/// deleted destination takes its connections with it (`expire_nodest_conn`): the next packet
/// is dropped and the one after is reset; so a target whose flows live on stays in the
/// service (at weight 0) until it has none (``lingering(_:in:specs:session:)``).
enum FlowTermination {
    /// The flows one node balanced to one target through one listener.
    struct Flows: Equatable {
        let listenerPort: Int
        let address: IPv4Address
        let port: UInt16

        init(listenerPort: Int, address: IPv4Address, port: UInt16) {
            self.listenerPort = listenerPort
            self.address = address
            self.port = port
        }

        init(_ drain: DrainingBackend) {
            self.init(listenerPort: drain.listenerPort, address: drain.address, port: drain.port)
        }
    }

    /// Whether the target group of `drain`'s listener cuts flows at the end of the delay:
    /// the attribute, or AWS's default (`true` for UDP and TCP_UDP groups).
    static func cutsFlows(_ drain: DrainingBackend, in model: DeploymentModel) -> Bool {
        guard let groupName = model.networkLoadBalancerNodes.first(where: { $0.name == drain.node })?
                .listeners.first(where: { $0.port == drain.listenerPort })?.targetGroup,
              let group = model.file.targetGroups.first(where: { $0.name == groupName }) else { return false }
        switch group.attributes[NetworkAttributeCatalog.deregistrationTermination] {
        case "true": return true
        case "false": return false
        default: return group.protocol == .udp || group.protocol == .tcpUDP
        }
    }

    /// Cuts the flows `spec`'s node balanced to `backends` (nftables; IPVS cuts them itself when
    /// the destination leaves the service); returns how many it cut.
    static func cut(_ backends: [Flows], through spec: NodeDatapathSpec, session: KernelSession) throws -> Int {
        guard spec.datapath != .ipvs, !backends.isEmpty else { return 0 }
        let addresses = Set([spec.virtualAddress] + spec.additionalAddresses)
        return try ConntrackFlows.delete(on: try session.netfilter(in: spec.namespace)) { entry in
            entry.destinationTranslated && addresses.contains(entry.destination) && backends.contains { backend in
                Int(entry.destinationPort) == backend.listenerPort && entry.replySource == backend.address
                    && entry.replySourcePort == backend.port
            }
        }
    }

    /// How often a lingering IPVS destination's connections are counted again.
    static let lingerRecheckSeconds: Double = 5

    /// The drains of `expired` on IPVS nodes whose flows live on (the group does not cut them)
    /// and whose destination still has open connections (TCP: established, which IPVS counts
    /// active; UDP: any, which IPVS counts inactive): IPVS would end them with the destination,
    /// so the target stays in the service at weight 0 until its last one is gone.
    static func lingering(_ expired: [DrainingBackend], in model: DeploymentModel, specs: [String: NodeDatapathSpec],
                          session: KernelSession) throws -> [DrainingBackend] {
        try expired.filter { drain in
            guard !cutsFlows(drain, in: model), let spec = specs[drain.node], spec.datapath == .ipvs else { return false }
            let client = try session.ipvs(in: spec.namespace)
            return try client.services().filter { Int($0.port) == drain.listenerPort }.contains { service in
                try client.destinations(of: service).contains {
                    $0.address == drain.address && $0.port == drain.port
                        && (service.protocol == .udp ? $0.counters.inactiveConnections : $0.counters.activeConnections) > 0
                }
            }
        }
    }
}
