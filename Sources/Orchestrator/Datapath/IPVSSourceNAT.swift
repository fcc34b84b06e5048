import Kernel

/// With the IPVS datapath a node still source-NATs what it forwards, so replies come back
/// through it: `table ip lbnet_ipvs_snat` masquerades every packet leaving by `eth0` whose
/// source is not the node's own address (IPVS-forwarded flows, seen by nftables because
/// `net.ipv4.vs.conntrack=1`). Flows from PrivateLink endpoints leave by `eth0` too, so targets
/// see the node's address and replies return over the transit link.
enum IPVSSourceNAT {
    static let tableName = "lbnet_ipvs_snat"

    static func table(_ spec: NodeDatapathSpec) -> NFTTableSpec {
        NFTTableSpec(
            name: tableName,
            chains: [NFTChainSpec(name: "postrouting", type: .nat, hook: .postrouting, priority: NFTChainSpec.sourceNATPriority)],
            maps: [],
            rules: [NFTRuleSpec(chain: "postrouting", purpose: "masquerade forwarded flows", expressions:
                NFTMatch.outputInterface(Naming.hostInterface)
                + [.payload(.network, offset: 12, length: 4, into: .register(1)),
                   .compare(.register(1), .notEqual, data: spec.virtualAddress.bytes),
                   .masquerade])])
    }
}
