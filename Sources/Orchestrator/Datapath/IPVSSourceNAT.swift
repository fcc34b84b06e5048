import Kernel

/// With the IPVS datapath a node still source-NATs the flows of listeners that do not preserve
/// the client's address, so their replies come back through it: `table ip lbnet_ipvs_snat`
/// masquerades a packet leaving by `eth0` whose source is not the node's own address and whose
/// connection was opened to such a listener on the node's private address (IPVS-forwarded
/// flows are seen by nftables because `net.ipv4.vs.conntrack=1`; the original tuple is the
/// client's). Flows from PrivateLink endpoints, opened to a transit address, are always
/// masqueraded: targets see the node's address and replies return over the transit link. The
/// other flows keep the client's address, and come back by the VPC's `ReturnPath`.
enum IPVSSourceNAT {
    static let tableName = "lbnet_ipvs_snat"

    static func table(_ spec: NodeDatapathSpec) -> NFTTableSpec {
        let forwarded = NFTMatch.outputInterface(Naming.hostInterface)
            + [.payload(.network, offset: 12, length: 4, into: .register(1)),
               .compare(.register(1), .notEqual, data: spec.virtualAddress.bytes)]
        var rules = spec.listeners.filter { !$0.preservesClientAddress }.map { listener in
            NFTRuleSpec(chain: "postrouting", purpose: "masquerade \(listener.protocol.rawValue) \(listener.port)", expressions: forwarded
                + NFTMatch.conntrackOriginalDestination(spec.virtualAddress, protocol: listener.protocol.transport.protocolNumber,
                                                        port: listener.port) + [.masquerade])
        }
        if !spec.additionalAddresses.isEmpty {
            rules.append(NFTRuleSpec(chain: "postrouting", purpose: "masquerade PrivateLink flows", expressions: forwarded
                + NFTMatch.conntrackOriginalDestination(not: spec.virtualAddress) + [.masquerade]))
        }
        return NFTTableSpec(
            name: tableName,
            chains: [NFTChainSpec(name: "postrouting", type: .nat, hook: .postrouting, priority: NFTChainSpec.sourceNATPriority)],
            maps: [], rules: rules)
    }
}
