import CNetlink

extension NFTExpression {
    /// A new libnftnl expression for this one; the caller hands it to `nftnl_rule_add_expr`
    /// (which takes ownership). `mapIDs` gives the batch-local id of each map created in the
    /// same batch, so a lookup can find a map that does not exist yet.
    func makeNftnlExpression(mapIDs: [String: UInt32]) -> OpaquePointer {
        switch self {
        case .payload(let base, let offset, let length, let into):
            return NftnlExpression("payload")
                .set(NFTNL_EXPR_PAYLOAD_DREG, into.rawValue)
                .set(NFTNL_EXPR_PAYLOAD_BASE, base.rawValue)
                .set(NFTNL_EXPR_PAYLOAD_OFFSET, offset)
                .set(NFTNL_EXPR_PAYLOAD_LEN, length).pointer
        case .meta(let key, let into):
            return NftnlExpression("meta")
                .set(NFTNL_EXPR_META_KEY, key.rawValue)
                .set(NFTNL_EXPR_META_DREG, into.rawValue).pointer
        case .compare(let source, let op, let data):
            return NftnlExpression("cmp")
                .set(NFTNL_EXPR_CMP_SREG, source.rawValue)
                .set(NFTNL_EXPR_CMP_OP, op.rawValue)
                .set(NFTNL_EXPR_CMP_DATA, bytes: data).pointer
        case .bitwise(let source, let mask, let xor, let into):
            return NftnlExpression("bitwise")
                .set(NFTNL_EXPR_BITWISE_SREG, source.rawValue)
                .set(NFTNL_EXPR_BITWISE_DREG, into.rawValue)
                .set(NFTNL_EXPR_BITWISE_LEN, UInt32(mask.count))
                .set(NFTNL_EXPR_BITWISE_MASK, bytes: mask)
                .set(NFTNL_EXPR_BITWISE_XOR, bytes: xor).pointer
        case .jenkinsHash(let source, let length, let modulus, let seed, let offset, let into):
            return NftnlExpression("hash")
                .set(NFTNL_EXPR_HASH_SREG, source.rawValue)
                .set(NFTNL_EXPR_HASH_DREG, into.rawValue)
                .set(NFTNL_EXPR_HASH_LEN, length)
                .set(NFTNL_EXPR_HASH_MODULUS, modulus)
                .set(NFTNL_EXPR_HASH_SEED, seed)
                .set(NFTNL_EXPR_HASH_OFFSET, offset)
                .set(NFTNL_EXPR_HASH_TYPE, NFT_HASH_JENKINS.rawValue).pointer
        case .lookup(let source, let set, let into):
            let expression = NftnlExpression("lookup")
                .set(NFTNL_EXPR_LOOKUP_SREG, source.rawValue)
                .set(NFTNL_EXPR_LOOKUP_SET, string: set)
            if let into { expression.set(NFTNL_EXPR_LOOKUP_DREG, into.rawValue) }
            if let id = mapIDs[set] { expression.set(NFTNL_EXPR_LOOKUP_SET_ID, id) }
            return expression.pointer
        case .nat(let type, let address, let port, let flags):
            let expression = NftnlExpression("nat")
                .set(NFTNL_EXPR_NAT_TYPE, type.rawValue)
                .set(NFTNL_EXPR_NAT_FAMILY, UInt32(NFPROTO_IPV4))
            if let address { expression.set(NFTNL_EXPR_NAT_REG_ADDR_MIN, address.rawValue) }
            if let port { expression.set(NFTNL_EXPR_NAT_REG_PROTO_MIN, port.rawValue) }
            if flags != 0 { expression.set(NFTNL_EXPR_NAT_FLAGS, flags) }
            return expression.pointer
        case .masquerade:
            return NftnlExpression("masq").pointer
        case .conntrack(let key, let into):
            return NftnlExpression("ct")
                .set(NFTNL_EXPR_CT_KEY, key.rawValue)
                .set(NFTNL_EXPR_CT_DREG, into.rawValue).pointer
        case .conntrackOriginal(let key, let into):
            return NftnlExpression("ct")
                .set(NFTNL_EXPR_CT_KEY, key.rawValue)
                .set(NFTNL_EXPR_CT_DIR, byte: NFTConntrackKey.originalDirection)
                .set(NFTNL_EXPR_CT_DREG, into.rawValue).pointer
        case .setConntrack(let key, let from):
            return NftnlExpression("ct")
                .set(NFTNL_EXPR_CT_KEY, key.rawValue)
                .set(NFTNL_EXPR_CT_SREG, from.rawValue).pointer
        case .setMeta(let key, let from):
            return NftnlExpression("meta")
                .set(NFTNL_EXPR_META_KEY, key.rawValue)
                .set(NFTNL_EXPR_META_SREG, from.rawValue).pointer
        case .immediate(let data, let into):
            return NftnlExpression("immediate")
                .set(NFTNL_EXPR_IMM_DREG, into.rawValue)
                .set(NFTNL_EXPR_IMM_DATA, bytes: data).pointer
        case .verdict(let verdict):
            return NftnlExpression("immediate")
                .set(NFTNL_EXPR_IMM_DREG, NFTRegister.verdict.rawValue)
                .set(NFTNL_EXPR_IMM_VERDICT, UInt32(bitPattern: verdict.rawValue)).pointer
        case .counter:
            return NftnlExpression("counter").pointer
        case .unknown(let name):
            preconditionFailure("lbnet cannot build the unmodelled expression \(name)")
        }
    }
}

/// A libnftnl expression being filled in or read; attribute numbers are libnftnl's
/// `NFTNL_EXPR_*` (imported as `Int`).
struct NftnlExpression {
    let pointer: OpaquePointer

    init(_ name: String) { pointer = nftnl_expr_alloc(name)! }

    init(wrapping pointer: OpaquePointer) { self.pointer = pointer }

    @discardableResult
    func set(_ attribute: Int, _ value: UInt32) -> NftnlExpression {
        nftnl_expr_set_u32(pointer, UInt16(attribute), value)
        return self
    }

    @discardableResult
    func set(_ attribute: Int, byte: UInt8) -> NftnlExpression {
        nftnl_expr_set_u8(pointer, UInt16(attribute), byte)
        return self
    }

    @discardableResult
    func set(_ attribute: Int, bytes: [UInt8]) -> NftnlExpression {
        _ = bytes.withUnsafeBytes { nftnl_expr_set(pointer, UInt16(attribute), $0.baseAddress, UInt32($0.count)) }
        return self
    }

    @discardableResult
    func set(_ attribute: Int, string: String) -> NftnlExpression {
        _ = nftnl_expr_set_str(pointer, UInt16(attribute), string)
        return self
    }

    var name: String { String(cString: nftnl_expr_get_str(pointer, UInt16(NFTNL_EXPR_NAME))) }

    func has(_ attribute: Int) -> Bool { nftnl_expr_is_set(pointer, UInt16(attribute)) }

    /// The attribute's value, 0 when unset (as the kernel treats absent numbers).
    func uint32(_ attribute: Int) -> UInt32 { nftnl_expr_get_u32(pointer, UInt16(attribute)) }

    func uint8(_ attribute: Int) -> UInt8 { nftnl_expr_get_u8(pointer, UInt16(attribute)) }

    func register(_ attribute: Int) -> NFTRegister { NFTRegister(rawValue: uint32(attribute)) }

    func optionalRegister(_ attribute: Int) -> NFTRegister? { has(attribute) ? register(attribute) : nil }

    func bytes(_ attribute: Int) -> [UInt8] {
        var length: UInt32 = 0
        guard let data = nftnl_expr_get(pointer, UInt16(attribute), &length) else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: Int(length)))
    }

    func string(_ attribute: Int) -> String? {
        guard has(attribute), let text = nftnl_expr_get_str(pointer, UInt16(attribute)) else { return nil }
        return String(cString: text)
    }
}
