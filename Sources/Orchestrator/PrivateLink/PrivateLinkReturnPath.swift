import Kernel

/// How an NLB node answers PrivateLink consumers, whose addresses reach it unchanged (the
/// interface endpoint only translates the destination) and may be the provider VPC's own: by
/// the link each flow came in on, never by the destination's address. In the node's namespace,
/// per transit link one conntrack mark, one FIB rule and one routing table:
///
/// ```
/// table ip lbnet_privatelink {
///     chain prerouting { type filter hook prerouting priority mangle; policy accept;
///         iifname "pl-ep-local-1a" ct state new ct mark set 0x20001 comment "lbnet:from ep-local-1a"
///         ct direction reply ct mark 0x20001 meta mark set 0x20001 comment "lbnet:forwarded back to ep-local-1a"
///     }
///     chain output { type route hook output priority mangle; policy accept;
///         ct direction reply ct mark 0x20001 meta mark set 0x20001 comment "lbnet:answered back to ep-local-1a"
///     }
/// }
/// ip rule: 1000: fwmark 0x20001 lookup 131073
/// ip route: default via 100.65.0.2 dev pl-ep-local-1a onlink table 131073
/// ```
///
/// Flows the node balances in the kernel come back from their targets (to the node's address,
/// which it put as their source) and leave by the link they came in on; connections the node's
/// terminator accepts answer from the node itself, the `route` chain re-routing them. A link's
/// mark, and its table's number, is `0x20000` plus the low 16 bits of the node's address on it
/// (unique in the transit pool, a /16).
enum PrivateLinkReturnPath {
    static let tableName = "lbnet_privatelink"
    /// Before the kernel's `main` lookup (32766).
    static let rulePriority: UInt32 = 1000

    /// One available endpoint's transit link, seen from the provider node: its port, the
    /// node's address on it and the endpoint's.
    struct Link: Sendable, Equatable {
        let endpoint: String
        let port: String
        let address: IPv4Address
        let endpointAddress: IPv4Address

        /// The conntrack and firewall mark, and table number, of the link.
        var mark: UInt32 { 0x20000 | (address.value & 0xffff) }
    }

    static func rule(_ link: Link) -> RoutingRule { RoutingRule(priority: rulePriority, mark: link.mark, table: link.mark) }

    static func route(_ link: Link) -> RouteSpec {
        RouteSpec(destination: RouteSpec.defaultDestination, gateway: link.endpointAddress, device: link.port, table: link.mark,
                  gatewayOnLink: true)
    }

    static func table(_ links: [Link]) -> NFTTableSpec {
        let prerouting = NFTChainSpec(name: "prerouting", type: .filter, hook: .prerouting, priority: NFTChainSpec.manglePriority)
        let output = NFTChainSpec(name: "output", type: .route, hook: .output, priority: NFTChainSpec.manglePriority)
        func answers(_ link: Link, chain: String, purpose: String) -> NFTRuleSpec {
            NFTRuleSpec(chain: chain, purpose: purpose, expressions:
                NFTMatch.conntrackDirection(reply: true) + NFTMatch.conntrackMark(link.mark) + NFTAction.setMark(link.mark))
        }
        let rules = links.flatMap { link in
            [NFTRuleSpec(chain: prerouting.name, purpose: "from \(link.endpoint)", expressions:
                NFTMatch.inputInterface(link.port) + NFTMatch.conntrackStateNew + NFTAction.setConntrackMark(link.mark)),
             answers(link, chain: prerouting.name, purpose: "forwarded back to \(link.endpoint)")]
        } + links.map { answers($0, chain: output.name, purpose: "answered back to \($0.endpoint)") }
        return NFTTableSpec(name: tableName, chains: [prerouting, output], maps: [], rules: rules)
    }
}
