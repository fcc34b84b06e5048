import CNetlink

/// One nftables expression, the unit rules are made of, with the fields lbnet sets. Values are
/// the kernel's (`linux/netfilter/nf_tables.h`); data is in the byte order the kernel compares
/// it in. Read-back rules parse into the same cases, so a desired rule and a dumped one compare
/// with `==` (counters compare equal whatever they counted).
public enum NFTExpression: Hashable, Sendable {
    /// `payload load`: `length` bytes at `offset` from a header into a register.
    case payload(NFTPayloadBase, offset: UInt32, length: UInt32, into: NFTRegister)
    /// `meta load`: packet metadata (layer 4 protocol, interface names) into a register.
    case meta(NFTMetaKey, into: NFTRegister)
    /// `cmp`: the rule stops unless the register compares true against `data`.
    case compare(NFTRegister, NFTCompareOperator, data: [UInt8])
    /// `bitwise`: `into = (source & mask) ^ xor` over `mask.count` bytes.
    case bitwise(NFTRegister, mask: [UInt8], xor: [UInt8], into: NFTRegister)
    /// `hash jhash`: Jenkins hash of `length` bytes from `source`, `% modulus + offset`.
    case jenkinsHash(NFTRegister, length: UInt32, modulus: UInt32, seed: UInt32, offset: UInt32, into: NFTRegister)
    /// `lookup`: the key in `source` must be in the set or map; a map writes the value to `into`.
    case lookup(NFTRegister, set: String, into: NFTRegister?)
    /// `nat`: source or destination NAT to the address (and port) held in registers.
    case nat(NFTNATType, address: NFTRegister?, port: NFTRegister?, flags: UInt32)
    /// `masq`: source NAT to the address of the outgoing interface.
    case masquerade
    /// `ct load`: a conntrack field (state, status, mark) into a register.
    case conntrack(NFTConntrackKey, into: NFTRegister)
    /// `ct original load`: a field of the connection's original tuple, as the side that opened
    /// it sent it, before any NAT (`ct original ip daddr`, `ct original proto-dst`).
    case conntrackOriginal(NFTConntrackKey, into: NFTRegister)
    /// `ct set`: a register into a conntrack field (`ct mark set`).
    case setConntrack(NFTConntrackKey, from: NFTRegister)
    /// `meta set`: a register into packet metadata (`meta mark set`).
    case setMeta(NFTMetaKey, from: NFTRegister)
    /// `immediate`: constant data into a register.
    case immediate(data: [UInt8], into: NFTRegister)
    /// `immediate` into the verdict register: accept, drop, return.
    case verdict(NFTVerdict)
    /// `counter`: packets and bytes seen (the counts are not part of the rule's identity).
    case counter
    /// A read-back expression lbnet does not model (never equal to anything lbnet builds).
    case unknown(String)
}

/// Which header a `payload` expression reads (`enum nft_payload_bases`).
public enum NFTPayloadBase: UInt32, Sendable {
    case link = 0
    case network = 1
    case transport = 2
}

/// `meta` keys lbnet reads or sets (`enum nft_meta_keys`).
public struct NFTMetaKey: Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let inputInterfaceName = NFTMetaKey(rawValue: NFT_META_IIFNAME.rawValue)
    public static let outputInterfaceName = NFTMetaKey(rawValue: NFT_META_OIFNAME.rawValue)
    public static let layer4Protocol = NFTMetaKey(rawValue: NFT_META_L4PROTO.rawValue)
    /// The packet's firewall mark (a local socket's `SO_MARK`).
    public static let mark = NFTMetaKey(rawValue: NFT_META_MARK.rawValue)
}

/// `cmp` operators (`enum nft_cmp_ops`).
public enum NFTCompareOperator: UInt32, Sendable {
    case equal = 0
    case notEqual = 1
    case lessOrEqual = 3
    case greaterOrEqual = 5
}

/// `ct` keys lbnet reads or sets (`enum nft_ct_keys`).
public struct NFTConntrackKey: Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let state = NFTConntrackKey(rawValue: NFT_CT_STATE.rawValue)
    public static let status = NFTConntrackKey(rawValue: NFT_CT_STATUS.rawValue)
    public static let direction = NFTConntrackKey(rawValue: NFT_CT_DIRECTION.rawValue)
    /// `IP_CT_DIR_ORIGINAL`: a directional key reads the tuple of the side that opened the connection.
    static let originalDirection: UInt8 = 0

    /// The connection's mark (`ct mark`).
    public static let mark = NFTConntrackKey(rawValue: NFT_CT_MARK.rawValue)
    /// A tuple's IPv4 destination address (with a direction: `ct original ip daddr`).
    public static let destinationAddress = NFTConntrackKey(rawValue: NFT_CT_DST_IP.rawValue)
    /// A tuple's transport destination port (with a direction: `ct original proto-dst`).
    public static let destinationPort = NFTConntrackKey(rawValue: NFT_CT_PROTO_DST.rawValue)
}

/// Source or destination NAT (`enum nft_nat_types`).
public enum NFTNATType: UInt32, Sendable {
    case source = 0
    case destination = 1
}

/// Verdicts an `immediate` can give (`NF_DROP`, `NF_ACCEPT`, `NFT_RETURN`).
public enum NFTVerdict: Int32, Sendable {
    case drop = 0
    case accept = 1
    case `return` = -5
}
