/// The nftables ruleset generation of each namespace during one apply: the one its tables were
/// read at, then the one each of lbnet's own commits left. A commit based on it is refused only
/// if something other than this apply changed the ruleset.
struct NFTablesGenerations {
    private var latest: [String: UInt32] = [:]

    func expected(in namespace: String, observed: UInt32?) -> UInt32? { latest[namespace] ?? observed }

    mutating func committed(_ generation: UInt32, in namespace: String) { latest[namespace] = generation }
}
