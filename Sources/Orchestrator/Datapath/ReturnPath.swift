import Kernel

/// How answers to a client whose address an NLB node preserved find their way back through
/// that node, in the VPC router's namespace (`table ip lbnet_return_path`, one FIB rule and one
/// routing table per node):
///
/// ```
/// table ip lbnet_return_path {
///     chain prerouting { type filter hook prerouting priority mangle; policy accept;
///         iifname "v-web-nlb-1a" ct state new ct mark set 0x101fe comment "lbnet:origin web-nlb-1a"
///         ct direction reply ct mark != 0 meta mark set ct mark comment "lbnet:back to the origin node"
///     }
/// }
/// ip rule: 1000: fwmark 0x101fe lookup 66046
/// ip route: default via 10.0.1.254 dev v-web-nlb-1a onlink table 66046
/// ```
///
/// Every host reaches even its own subnet through the router (its address has no prefix
/// route), and an NLB node's router port is a routed link of its own rather than a bridge
/// port, so the router sees, and conntrack remembers, which node each balanced flow came
/// from. The node's mark is its address's low 16 bits (unique in a VPC, whose CIDR is at most
/// a /16) above `0x10000`, and is also its table's number. A flow's answers carry the mark
/// of the node that opened the flow and are routed to it; the node's conntrack undoes its
/// destination NAT. Flows opened from elsewhere keep mark 0 and are routed as before.
enum ReturnPath {
    static let tableName = "lbnet_return_path"
    /// The priority of the rules: before the kernel's `main` lookup (32766).
    static let rulePriority: UInt32 = 1000

    /// An NLB node's router port and address, the far end of its return path.
    struct Node: Sendable, Equatable {
        let name: String
        let port: String
        let address: IPv4Address

        /// The firewall mark, and table number, of the node's return path.
        var mark: UInt32 { 0x10000 | (address.value & 0xffff) }
    }

    static func rule(_ node: Node) -> RoutingRule { RoutingRule(priority: rulePriority, mark: node.mark, table: node.mark) }

    static func route(_ node: Node) -> RouteSpec {
        RouteSpec(destination: RouteSpec.defaultDestination, gateway: node.address, device: node.port,
                  table: node.mark, gatewayOnLink: true)
    }

    static func table(_ nodes: [Node]) -> NFTTableSpec {
        let chain = NFTChainSpec(name: "prerouting", type: .filter, hook: .prerouting, priority: NFTChainSpec.manglePriority)
        let origins = nodes.map { node in
            NFTRuleSpec(chain: chain.name, purpose: "origin \(node.name)", expressions:
                NFTMatch.inputInterface(node.port) + NFTMatch.conntrackStateNew + NFTAction.setConntrackMark(node.mark))
        }
        let back = NFTRuleSpec(chain: chain.name, purpose: "back to the origin node", expressions:
            NFTMatch.conntrackDirection(reply: true)
                + [.conntrack(.mark, into: .register(1)), .compare(.register(1), .notEqual, data: NFTMatch.hostOrder(0)),
                   .setMeta(.mark, from: .register(1))])
        return NFTTableSpec(name: tableName, chains: [chain], maps: [], rules: origins + [back])
    }
}
