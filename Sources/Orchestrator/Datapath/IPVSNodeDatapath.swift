import Kernel

/// An NLB node's datapath in IPVS: one virtual service per listener and address (the node's
/// private address, then its PrivateLink transit addresses), `sh` (or `mh`) with fallback and
/// port hashing, destinations in NAT (masquerade) mode. Replies return through the node because
/// the node also source-NATs what it forwards (`IPVSSourceNAT`). A listener with source-IP
/// stickiness is a persistent service (one template per client address, `/32`), whose template
/// outlives the client's last flow by ``stickinessSeconds``. A backend whose flows are cut
/// (unhealthy, with connection termination) leaves the service: IPVS expires its connections
/// (`expire_nodest_conn`).
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
            for address in [spec.virtualAddress] + spec.additionalAddresses {
                let service = IPVSService(listener.protocol == .tcp ? .tcp : .udp, address: address, port: listener.port,
                                          scheduler: spec.scheduler == .mh ? .maglev : .sourceHash, flags: [.fallback, .port],
                                          timeout: listener.sourceIPStickiness ? stickinessSeconds : 0)
                destinations[service] = listener.backends.filter { !$0.flowsCut }.map {
                    IPVSDestination(address: $0.address, port: $0.port, weight: $0.weight, forwarding: .masquerade)
                }
            }
        }
        return IPVSTable(destinations)
    }
}
