import Kernel

/// An NLB node's datapath in nftables (`table ip lbnet_nlb`): per listener, a jhash of the
/// client's address and port over 256 slots mapped to backends in proportion to their weight,
/// then DNAT; masquerading the flows of listeners that do not preserve the client's address
/// sends replies back through the node (the others come back by the VPC's `ReturnPath`). Backend changes
/// are map element changes only. A TLS listener has no `prerouting` rule (clients reach the
/// node's TLS terminator) and its `output` rule takes only the terminator's marked connections. With source-IP stickiness the hash is of the client's address
/// alone, so all its flows share one slot and one target while the target keeps its slot.
///
/// A TCP flow idle for the listeners' `tcp.idle_timeout.seconds` leaves conntrack (the node's
/// ``idleTimeoutSysctl``); the DNAT rules take only a flow's first SYN, so the next packet of
/// an expired flow reaches the node itself, which has no socket for it and answers a reset.
enum NFTablesNodeDatapath {
    /// The node namespace's conntrack timeout of established TCP flows.
    static let idleTimeoutSysctl = "net.netfilter.nf_conntrack_tcp_timeout_established"

    static func table(_ spec: NodeDatapathSpec) -> NLBNodeSpec {
        NLBNodeSpec(address: spec.virtualAddress, additionalAddresses: spec.additionalAddresses, listeners: spec.listeners.map { listener in
            NLBListener(transport: listener.protocol.transport, port: listener.port,
                        backends: listener.backends.map { NLBBackend(address: $0.address, port: $0.port, weight: $0.weight) },
                        affinity: listener.sourceIPStickiness ? .sourceAddress : .flow, terminatorMark: listener.terminatorMark,
                        preservesClientAddress: listener.preservesClientAddress)
        })
    }
}
