import CNetlink

extension NFTExpression {
    /// Reads a libnftnl expression parsed from a rule dump. Expressions or fields lbnet does
    /// not model give `.unknown`, so such a rule never matches one lbnet wants.
    init(_ expression: NftnlExpression) {
        switch expression.name {
        case "payload":
            guard !expression.has(NFTNL_EXPR_PAYLOAD_SREG),
                  let base = NFTPayloadBase(rawValue: expression.uint32(NFTNL_EXPR_PAYLOAD_BASE)) else {
                self = .unknown("payload write")
                return
            }
            self = .payload(base, offset: expression.uint32(NFTNL_EXPR_PAYLOAD_OFFSET),
                            length: expression.uint32(NFTNL_EXPR_PAYLOAD_LEN), into: expression.register(NFTNL_EXPR_PAYLOAD_DREG))
        case "meta":
            let key = NFTMetaKey(rawValue: expression.uint32(NFTNL_EXPR_META_KEY))
            guard expression.has(NFTNL_EXPR_META_DREG) else {
                self = .setMeta(key, from: expression.register(NFTNL_EXPR_META_SREG))
                return
            }
            self = .meta(NFTMetaKey(rawValue: expression.uint32(NFTNL_EXPR_META_KEY)), into: expression.register(NFTNL_EXPR_META_DREG))
        case "cmp":
            guard let op = NFTCompareOperator(rawValue: expression.uint32(NFTNL_EXPR_CMP_OP)) else {
                self = .unknown("cmp operator \(expression.uint32(NFTNL_EXPR_CMP_OP))")
                return
            }
            self = .compare(expression.register(NFTNL_EXPR_CMP_SREG), op, data: expression.bytes(NFTNL_EXPR_CMP_DATA))
        case "bitwise":
            guard expression.uint32(NFTNL_EXPR_BITWISE_OP) == NFT_BITWISE_MASK_XOR.rawValue else {
                self = .unknown("bitwise shift")
                return
            }
            self = .bitwise(expression.register(NFTNL_EXPR_BITWISE_SREG), mask: expression.bytes(NFTNL_EXPR_BITWISE_MASK),
                            xor: expression.bytes(NFTNL_EXPR_BITWISE_XOR), into: expression.register(NFTNL_EXPR_BITWISE_DREG))
        case "hash":
            guard expression.uint32(NFTNL_EXPR_HASH_TYPE) == NFT_HASH_JENKINS.rawValue else {
                self = .unknown("symhash")
                return
            }
            self = .jenkinsHash(expression.register(NFTNL_EXPR_HASH_SREG), length: expression.uint32(NFTNL_EXPR_HASH_LEN),
                                modulus: expression.uint32(NFTNL_EXPR_HASH_MODULUS), seed: expression.uint32(NFTNL_EXPR_HASH_SEED),
                                offset: expression.uint32(NFTNL_EXPR_HASH_OFFSET), into: expression.register(NFTNL_EXPR_HASH_DREG))
        case "lookup":
            guard expression.uint32(NFTNL_EXPR_LOOKUP_FLAGS) == 0, let set = expression.string(NFTNL_EXPR_LOOKUP_SET) else {
                self = .unknown("inverted or unnamed lookup")
                return
            }
            self = .lookup(expression.register(NFTNL_EXPR_LOOKUP_SREG), set: set, into: expression.optionalRegister(NFTNL_EXPR_LOOKUP_DREG))
        case "nat":
            let address = expression.optionalRegister(NFTNL_EXPR_NAT_REG_ADDR_MIN)
            let port = expression.optionalRegister(NFTNL_EXPR_NAT_REG_PROTO_MIN)
            guard let type = NFTNATType(rawValue: expression.uint32(NFTNL_EXPR_NAT_TYPE)),
                  expression.uint32(NFTNL_EXPR_NAT_FAMILY) == UInt32(NFPROTO_IPV4),
                  (expression.optionalRegister(NFTNL_EXPR_NAT_REG_ADDR_MAX) ?? address) == address,
                  (expression.optionalRegister(NFTNL_EXPR_NAT_REG_PROTO_MAX) ?? port) == port else {
                self = .unknown("nat with ranges or another family")
                return
            }
            self = .nat(type, address: address, port: port, flags: expression.uint32(NFTNL_EXPR_NAT_FLAGS))
        case "masq":
            guard expression.uint32(NFTNL_EXPR_MASQ_FLAGS) == 0, !expression.has(NFTNL_EXPR_MASQ_REG_PROTO_MIN) else {
                self = .unknown("masq with flags or ports")
                return
            }
            self = .masquerade
        case "ct":
            let key = NFTConntrackKey(rawValue: expression.uint32(NFTNL_EXPR_CT_KEY))
            if expression.has(NFTNL_EXPR_CT_SREG) {
                self = .setConntrack(key, from: expression.register(NFTNL_EXPR_CT_SREG))
            } else if !expression.has(NFTNL_EXPR_CT_DIR) {
                self = .conntrack(key, into: expression.register(NFTNL_EXPR_CT_DREG))
            } else if expression.uint8(NFTNL_EXPR_CT_DIR) == NFTConntrackKey.originalDirection {
                self = .conntrackOriginal(key, into: expression.register(NFTNL_EXPR_CT_DREG))
            } else {
                self = .unknown("ct reply tuple")
            }
        case "immediate":
            let into = expression.register(NFTNL_EXPR_IMM_DREG)
            if into == .verdict {
                guard !expression.has(NFTNL_EXPR_IMM_CHAIN),
                      let verdict = NFTVerdict(rawValue: Int32(bitPattern: expression.uint32(NFTNL_EXPR_IMM_VERDICT))) else {
                    self = .unknown("jump or goto")
                    return
                }
                self = .verdict(verdict)
            } else {
                self = .immediate(data: expression.bytes(NFTNL_EXPR_IMM_DATA), into: into)
            }
        case "counter":
            self = .counter
        case let name:
            self = .unknown(name)
        }
    }
}
