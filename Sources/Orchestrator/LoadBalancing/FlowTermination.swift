import Kernel

/// AWS's `deregistration_delay.connection_termination.enabled`: when a target's deregistration
/// delay ends, its established flows are cut instead of left to live.
///
/// On nftables the node forgets the flows (their conntrack entries are deleted over netlink);
/// a TCP flow's next packet is then not balanced (the DNAT rules take only a first SYN) and the
/// node resets it; a UDP flow's next datagram is balanced again like a new flow. On IPVS the
/// deleted destination takes its connections with it (`expire_nodest_conn`): the next packet
/// is dropped and the one after is reset.
enum FlowTermination {
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

    /// Cuts the flows `spec`'s node balanced to `backends`; returns how many it cut.
    static func cut(_ backends: [DrainingBackend], through spec: NodeDatapathSpec, session: KernelSession) throws -> Int {
        guard spec.datapath != .ipvs, !backends.isEmpty else { return 0 }
        let addresses = Set([spec.virtualAddress] + spec.additionalAddresses)
        return try ConntrackFlows.delete(on: try session.netfilter(in: spec.namespace)) { entry in
            entry.destinationTranslated && addresses.contains(entry.destination) && backends.contains { backend in
                Int(entry.destinationPort) == backend.listenerPort && entry.replySource == backend.address
                    && entry.replySourcePort == backend.port
            }
        }
    }
}
