import Kernel

/// How answers reach the node's terminator, which connects to targets from the client's address
/// (its sockets are transparent, bound to an address the node does not have). In the NLB
/// node's namespace:
///
/// ```
/// table ip lbnet_terminator {
///     chain output { type filter hook output priority mangle; policy accept;
///         meta mark 0x4c420000/16 ct mark set meta mark comment "lbnet:terminator connections"
///     }
///     chain prerouting { type filter hook prerouting priority mangle; policy accept;
///         ct direction reply ct mark 0x4c420000/16 meta mark set 0x4c420000 comment "lbnet:answers to the terminator"
///     }
/// }
/// ip rule: 900: fwmark 0x4c420000 lookup 19522
/// ip route: local default dev lo table 19522
/// ```
///
/// The terminator's connections carry their listener's mark (``NodeTerminator/mark(port:)``),
/// which conntrack keeps; their answers, addressed to the client (once the node's masquerade,
/// where the group does not preserve the client's address, is undone), are marked on the way in
/// and delivered locally instead of being forwarded, where the node's datapath undoes its NAT
/// and the transparent socket takes them. The VPC router's ``ReturnPath`` (or the masquerade)
/// has already brought them to this node.
enum TerminatorReturnPath {
    static let tableName = "lbnet_terminator"
    /// The mark of the answers, and the number of the table that delivers them.
    static let replyMark: UInt32 = NodeTerminator.mark(port: 0)
    static let table: UInt32 = 0x4c42
    /// Before the kernel's `main` lookup (32766), and before the router's return-path rules.
    static let rulePriority: UInt32 = 900
    private static let markMask: UInt32 = 0xffff_0000

    static let rule = RoutingRule(priority: rulePriority, mark: replyMark, table: table)
    static let route = RouteSpec(destination: RouteSpec.defaultDestination, device: "lo", table: table, isLocal: true)

    static func nftTable() -> NFTTableSpec {
        let output = NFTChainSpec(name: "output", type: .filter, hook: .output, priority: NFTChainSpec.manglePriority)
        let prerouting = NFTChainSpec(name: "prerouting", type: .filter, hook: .prerouting, priority: NFTChainSpec.manglePriority)
        let marked: [NFTExpression] = [
            .bitwise(.register(1), mask: NFTMatch.hostOrder(markMask), xor: NFTMatch.hostOrder(0), into: .register(1)),
            .compare(.register(1), .equal, data: NFTMatch.hostOrder(replyMark)),
        ]
        let connections = NFTRuleSpec(chain: output.name, purpose: "terminator connections", expressions:
            [.meta(.mark, into: .register(1))] + marked + [.meta(.mark, into: .register(1)), .setConntrack(.mark, from: .register(1))])
        let answers = NFTRuleSpec(chain: prerouting.name, purpose: "answers to the terminator", expressions:
            NFTMatch.conntrackDirection(reply: true) + [.conntrack(.mark, into: .register(1))] + marked
                + NFTAction.setMark(replyMark))
        return NFTTableSpec(name: tableName, chains: [output, prerouting], maps: [], rules: [connections, answers])
    }
}
