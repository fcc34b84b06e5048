import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// What the `counter` expressions of one rule have counted, read back from the kernel: the
/// rule's chain and comment (`lbnet:<purpose>`) identify it.
public struct NFTRuleCounter: Sendable, Equatable {
    public let chain: String
    public let comment: String?
    public let packets: UInt64
    public let bytes: UInt64

    public init(chain: String, comment: String?, packets: UInt64, bytes: UInt64) {
        self.chain = chain
        self.comment = comment
        self.packets = packets
        self.bytes = bytes
    }

    /// Whether this is the rule lbnet made for `purpose` (its comment is `lbnet:<purpose>`).
    public func isRule(purpose: String) -> Bool { comment == "lbnet:\(purpose)" }

    /// Whether this is one of the rules lbnet made for purposes starting with `prefix`.
    public func isRule(purposePrefix prefix: String) -> Bool { comment?.hasPrefix("lbnet:\(prefix)") ?? false }
}

extension NFTReadBack {
    /// A rule's table with the sum of its `counter` expressions' packets and bytes; `nil` for a
    /// message that is not a rule or has no counter.
    static func ruleCounter(_ message: NetlinkMessage) -> (table: String, counter: NFTRuleCounter)? {
        guard let (table, rule) = rule(message) else { return nil }
        let object = nftnl_rule_alloc()!
        defer { nftnl_rule_free(object) }
        guard message.withHeader({ nftnl_rule_nlmsg_parse($0, object) }) >= 0,
              let iterator = nftnl_expr_iter_create(object) else { return nil }
        defer { nftnl_expr_iter_destroy(iterator) }
        var packets: UInt64 = 0
        var bytes: UInt64 = 0
        var counted = false
        while let expression = nftnl_expr_iter_next(iterator) {
            guard NftnlExpression(wrapping: expression).name == "counter" else { continue }
            counted = true
            packets += nftnl_expr_get_u64(expression, UInt16(NFTNL_EXPR_CTR_PACKETS))
            bytes += nftnl_expr_get_u64(expression, UInt16(NFTNL_EXPR_CTR_BYTES))
        }
        guard counted else { return nil }
        return (table, NFTRuleCounter(chain: rule.chain, comment: rule.comment, packets: packets, bytes: bytes))
    }
}

extension NFTablesNetlink {
    /// The counters of every rule of table `name` that has one (one rule dump; empty when the
    /// table does not exist). Reading counters changes nothing in the datapath.
    public func ruleCounters(table name: String) throws(NFTablesError) -> [NFTRuleCounter] {
        let request = NFTMessages.dumpRules(table: name)
        let replies: [NetlinkMessage]
        do {
            replies = try socket.request(request.request(.dump))
        } catch {
            if error.errno == ENOENT { return [] }
            throw .request(error)
        }
        return replies.compactMap(NFTReadBack.ruleCounter).filter { $0.table == name }.map(\.counter)
    }
}
