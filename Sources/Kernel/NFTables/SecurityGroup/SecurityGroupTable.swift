import CNetlink

/// The nftables table of a network interface's security groups, `table ip lbnet_security_groups`,
/// in the interface's namespace. Stateful, as AWS's security groups are: replies and related
/// packets of allowed flows pass, new flows pass when a rule allows them, everything else is
/// dropped by the chains' policy.
///
/// ```
/// table ip lbnet_security_groups {
///     set sg_alb-sg { type ipv4_addr; elements = { 10.0.1.253, 10.0.2.253 } }
///     chain ingress { type filter hook prerouting priority -150; policy drop;
///         ct state established,related accept comment "lbnet:established"
///         iifname "lo" accept comment "lbnet:loopback"
///         ip saddr @sg_alb-sg meta l4proto tcp th dport 8080 counter accept comment "lbnet:ingress web-sg 1: tcp 8080 sg alb-sg"
///         counter drop comment "lbnet:dropped"
///     }
///     chain egress { type filter hook postrouting priority 0; policy drop;
///         ct state established,related accept comment "lbnet:established"
///         oifname "lo" accept comment "lbnet:loopback"
///         counter accept comment "lbnet:egress default 1: all 0.0.0.0/0"
///         counter drop comment "lbnet:dropped"
///     }
/// }
/// ```
///
/// Inbound flows are filtered in `prerouting`, before any destination NAT of the namespace (an
/// NLB node or an endpoint): the rules see the address and port the client connected to, as on
/// AWS. Outbound flows are filtered in `postrouting`, before source NAT, so forwarded flows are
/// checked against their target. Every rule accepts, so their order does not matter, except for
/// the last rule of each chain, `counter drop`, which counts what the policy would drop (the
/// plan keeps it last: when a rule is added to a chain, the drop rule is deleted and added again
/// after it in the same transaction). A group named by a rule is a set of its members'
/// addresses, so a new member is one new element.
public enum SecurityGroupTable {
    public static let name = "lbnet_security_groups"

    /// Before conntrack's destination NAT (-100), after conntrack itself (-200).
    public static let ingressPriority: Int32 = -150
    /// Before source NAT (100).
    public static let egressPriority: Int32 = 0

    public static let chains = [
        NFTChainSpec(name: "ingress", type: .filter, hook: .prerouting, priority: ingressPriority, policy: .drop),
        NFTChainSpec(name: "egress", type: .filter, hook: .postrouting, priority: egressPriority, policy: .drop),
    ]

    /// `IP_CT_ESTABLISHED` and `IP_CT_RELATED` as `ct state` bits.
    static let establishedOrRelated: UInt32 = 1 << 1 | 1 << 2

    /// The purpose of the last rule of each chain, which counts and drops the rest.
    public static let droppedPurpose = "dropped"
    public static let chainNames = ["ingress", "egress"]

    /// The name of the set holding the members of `group`.
    public static func setName(group: String) -> String { "sg_\(group)" }

    public static func desired(_ spec: SecurityGroupFilterSpec) throws(NFTablesError) -> NFTTableSpec {
        try validate(spec)
        let referenced = Set((spec.ingress + spec.egress).compactMap { rule -> String? in
            if case .group(let name) = rule.peer { name } else { nil }
        })
        let sets = referenced.sorted().map { group in
            NFTMapSpec(definition: .set(name: setName(group: group), key: .ipv4Address),
                       elements: Dictionary((spec.groupMembers[group] ?? []).map { ($0.bytes, []) }, uniquingKeysWith: { first, _ in first }))
        }
        var rules: [NFTRuleSpec] = []
        for (chain, inbound) in zip(chainNames, [true, false]) {
            rules.append(NFTRuleSpec(chain: chain, purpose: "established",
                                     expressions: established + [.verdict(.accept)]))
            let unfiltered = ["lo"] + (inbound ? spec.unfilteredInbound : spec.unfilteredOutbound)
            for interface in unfiltered {
                rules.append(NFTRuleSpec(chain: chain, purpose: interface == "lo" ? "loopback" : "unfiltered \(interface)",
                                         expressions: interfaceMatch(interface, inbound: inbound) + [.verdict(.accept)]))
            }
            for rule in inbound ? spec.ingress : spec.egress {
                rules.append(NFTRuleSpec(chain: chain, purpose: "\(chain) \(rule)",
                                         expressions: expressions(rule, inbound: inbound) + [.counter, .verdict(.accept)]))
            }
            rules.append(droppedRule(in: chain))
        }
        return NFTTableSpec(name: name, chains: chains, maps: sets, rules: rules)
    }

    /// The batch that makes the kernel's table (`current`, as read back) match `spec`, or
    /// removes the table when `spec` is `nil`.
    public static func plan(_ spec: SecurityGroupFilterSpec?, current: NFTTableState?) throws(NFTablesError) -> NFTBatch {
        guard let spec else { return NFTPlanner.planRemoval(of: name, current: current) }
        return keepingDropRulesLast(NFTPlanner.plan(try desired(spec), current: current), current: current)
    }

    static func droppedRule(in chain: String) -> NFTRuleSpec {
        NFTRuleSpec(chain: chain, purpose: droppedPurpose, expressions: [.counter, .verdict(.drop)])
    }

    /// The planner appends added rules; where that would put them after a chain's kept drop
    /// rule, the drop rule is deleted first and added again last.
    static func keepingDropRulesLast(_ batch: NFTBatch, current: NFTTableState?) -> NFTBatch {
        guard let current else { return batch }
        var operations = batch.operations
        let dropped = NFTRuleSpec.tagPrefix + droppedPurpose
        for chain in chainNames {
            let addsRules = operations.contains { operation in
                if case .addRule(_, let rule) = operation { rule.chain == chain } else { false }
            }
            let chainReplaced = operations.contains(.deleteChain(table: name, name: chain))
            guard addsRules, !chainReplaced, let rule = current.rules(in: chain).first(where: { $0.comment == dropped }) else { continue }
            let deletion = NFTOperation.deleteRule(table: name, chain: chain, handle: rule.handle, comment: rule.comment)
            if !operations.contains(deletion) { operations.insert(deletion, at: 0) }
            operations.removeAll { $0 == .addRule(table: name, droppedRule(in: chain)) }
            operations.append(.addRule(table: name, droppedRule(in: chain)))
        }
        return NFTBatch(operations)
    }

    /// `ct state established,related`
    static let established: [NFTExpression] = [
        .conntrack(.state, into: .register(1)),
        .bitwise(.register(1), mask: NFTMatch.hostOrder(establishedOrRelated), xor: NFTMatch.hostOrder(0), into: .register(1)),
        .compare(.register(1), .notEqual, data: NFTMatch.hostOrder(0)),
    ]

    /// The matches of one rule: peer, protocol, ports.
    static func expressions(_ rule: SecurityGroupFilterRule, inbound: Bool) -> [NFTExpression] {
        let offset = inbound ? NFTMatch.ipv4SourceOffset : NFTMatch.ipv4DestinationOffset
        var expressions: [NFTExpression]
        switch rule.peer {
        case .network(let network):
            expressions = NFTMatch.ipNetwork(network, at: offset)
        case .group(let group):
            expressions = [.payload(.network, offset: offset, length: 4, into: .register(1)),
                           .lookup(.register(1), set: setName(group: group), into: nil)]
        }
        guard let number = rule.protocolNumber else { return expressions }
        expressions += NFTMatch.layer4Protocol(number)
        switch rule.ports {
        case .any:
            break
        case .range(let range) where range == 0...UInt16.max:
            break
        case .range(let range):
            expressions += NFTMatch.transportDestinationPorts(range)
        case .icmp(let type, let code):
            if let type { expressions += NFTMatch.transportByte(at: 0, equals: type) }
            if let code { expressions += NFTMatch.transportByte(at: 1, equals: code) }
        }
        return expressions
    }

    /// `iifname`/`oifname` of a name, or of a prefix when it ends in `*` (as nft compiles `"pl-*"`).
    static func interfaceMatch(_ interface: String, inbound: Bool) -> [NFTExpression] {
        let key: NFTMetaKey = inbound ? .inputInterfaceName : .outputInterfaceName
        let data = interface.hasSuffix("*") ? Array(interface.utf8.dropLast()) : NFTMatch.interfaceNameBytes(interface)
        return [.meta(key, into: .register(1)), .compare(.register(1), .equal, data: data)]
    }

    private static func validate(_ spec: SecurityGroupFilterSpec) throws(NFTablesError) {
        for interface in spec.unfilteredInbound + spec.unfilteredOutbound {
            let length = interface.utf8.count - (interface.hasSuffix("*") ? 1 : 0)
            guard length > 0, length < 16, !interface.utf8.contains(0) else {
                throw .invalidSpec("security groups: interface name \"\(interface)\" must have 1 to 15 bytes")
            }
        }
        for rule in spec.ingress + spec.egress {
            if case .group(let group) = rule.peer, spec.groupMembers[group] == nil {
                throw .invalidSpec("security groups: rule \(rule) names group \(group), whose members are not given")
            }
        }
    }
}
