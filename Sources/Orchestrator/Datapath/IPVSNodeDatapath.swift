import Kernel

/// An NLB node's datapath in IPVS: one virtual service per listener and address (the node's
/// private address, then its PrivateLink transit addresses), `sh` (or `mh`) with fallback and
/// port hashing, destinations in NAT (masquerade) mode. Replies return through the node because
/// the node also source-NATs what it forwards (`IPVSSourceNAT`). A listener with source-IP
/// stickiness is a persistent service (one template per client address, `/32`), whose template
/// outlives the client's last flow by ``stickinessSeconds``. A backend whose flows are cut
/// (unhealthy, with connection termination) leaves the service: IPVS expires its connections
/// (`expire_nodest_conn`). A TLS listener is one firewall-mark service instead: clients reach
/// the node's TLS terminator, whose connections carry the mark and are balanced as they leave.
enum IPVSNodeDatapath {
    /// How long a client's persistence template outlives its last flow: AWS's TCP idle timeout.
    static let stickinessSeconds: UInt32 = 350

    /// Sysctls the node needs once IPVS is loaded: let nftables NAT see IPVS flows, drop flows
    /// of deleted destinations at once, forget templates of quiesced ones.
    static let sysctls = [
        "net.ipv4.vs.conntrack": "1",
        "net.ipv4.vs.expire_nodest_conn": "1",
        "net.ipv4.vs.expire_quiescent_template": "1",
    ]

    static func table(_ spec: NodeDatapathSpec) -> IPVSTable {
        var destinations: [IPVSService: [IPVSDestination]] = [:]
        for listener in spec.listeners {
            let scheduler: IPVSScheduler = spec.scheduler == .mh ? .maglev : .sourceHash
            let timeout = listener.sourceIPStickiness ? stickinessSeconds : 0
            let services = if let mark = listener.terminatorMark {
                [IPVSService(firewallMark: mark, scheduler: scheduler, flags: [.fallback, .port], timeout: timeout)]
            } else {
                ([spec.virtualAddress] + spec.additionalAddresses).map {
                    IPVSService(listener.protocol == .tcp ? .tcp : .udp, address: $0, port: listener.port,
                                scheduler: scheduler, flags: [.fallback, .port], timeout: timeout)
                }
            }
            for service in services {
                destinations[service] = listener.backends.filter { !$0.flowsCut }.map {
                    IPVSDestination(address: $0.address, port: $0.port, weight: $0.weight, forwarding: .masquerade)
                }
            }
        }
        return IPVSTable(destinations)
    }
}
