/// Expression sequences for what lbnet's rules do to a packet or its connection, written as
/// `nft` would compile them. Each uses register 1.
public enum NFTAction {
    /// `ct mark set <value>`
    public static func setConntrackMark(_ value: UInt32) -> [NFTExpression] {
        [.immediate(data: NFTMatch.hostOrder(value), into: .register(1)), .setConntrack(.mark, from: .register(1))]
    }

    /// `meta mark set <value>`
    public static func setMark(_ value: UInt32) -> [NFTExpression] {
        [.immediate(data: NFTMatch.hostOrder(value), into: .register(1)), .setMeta(.mark, from: .register(1))]
    }
}
