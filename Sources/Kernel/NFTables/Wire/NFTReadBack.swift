import CNetlink

/// Parses the kernel's answers to lbnet's read-back requests with libnftnl's `*_nlmsg_parse`.
/// Each returns `nil` for a message that is not the expected kind or does not parse.
enum NFTReadBack {
    static func generation(_ message: NetlinkMessage) -> UInt32? {
        guard message.nftablesType == NFT_MSG_NEWGEN.rawValue else { return nil }
        let object = nftnl_gen_alloc()!
        defer { nftnl_gen_free(object) }
        guard message.withHeader({ nftnl_gen_nlmsg_parse($0, object) }) >= 0 else { return nil }
        return nftnl_gen_get_u32(object, UInt16(NFTNL_GEN_ID))
    }

    /// A table's name and handle.
    static func table(_ message: NetlinkMessage) -> (name: String, handle: UInt64)? {
        guard message.nftablesType == NFT_MSG_NEWTABLE.rawValue else { return nil }
        let object = nftnl_table_alloc()!
        defer { nftnl_table_free(object) }
        guard message.withHeader({ nftnl_table_nlmsg_parse($0, object) }) >= 0,
              let name = nftnl_table_get_str(object, UInt16(NFTNL_TABLE_NAME.rawValue)) else { return nil }
        return (String(cString: name), nftnl_table_get_u64(object, UInt16(NFTNL_TABLE_HANDLE.rawValue)))
    }

    /// A chain and the table it belongs to.
    static func chain(_ message: NetlinkMessage) -> (table: String, chain: NFTChainState)? {
        guard message.nftablesType == NFT_MSG_NEWCHAIN.rawValue else { return nil }
        let object = nftnl_chain_alloc()!
        defer { nftnl_chain_free(object) }
        guard message.withHeader({ nftnl_chain_nlmsg_parse($0, object) }) >= 0,
              let table = nftnl_chain_get_str(object, UInt16(NFTNL_CHAIN_TABLE.rawValue)),
              let name = nftnl_chain_get_str(object, UInt16(NFTNL_CHAIN_NAME.rawValue)) else { return nil }
        func has(_ attribute: nftnl_chain_attr) -> Bool { nftnl_chain_is_set(object, UInt16(attribute.rawValue)) }
        var spec: NFTChainSpec?
        if has(NFTNL_CHAIN_HOOKNUM), has(NFTNL_CHAIN_TYPE),
           let policy = NFTChainPolicy(rawValue: nftnl_chain_get_u32(object, UInt16(NFTNL_CHAIN_POLICY.rawValue))),
           let hook = NFTHook(rawValue: nftnl_chain_get_u32(object, UInt16(NFTNL_CHAIN_HOOKNUM.rawValue))),
           let type = NFTChainType(rawValue: String(cString: nftnl_chain_get_str(object, UInt16(NFTNL_CHAIN_TYPE.rawValue)))) {
            spec = NFTChainSpec(name: String(cString: name), type: type, hook: hook,
                                priority: nftnl_chain_get_s32(object, UInt16(NFTNL_CHAIN_PRIO.rawValue)), policy: policy)
        }
        let chain = NFTChainState(name: String(cString: name), handle: nftnl_chain_get_u64(object, UInt16(NFTNL_CHAIN_HANDLE.rawValue)), spec: spec)
        return (String(cString: table), chain)
    }

    /// A map's (or set's) definition, flags and handle; its elements are read separately.
    static func map(_ message: NetlinkMessage) -> (table: String, definition: NFTMapDefinition, flags: UInt32, handle: UInt64)? {
        guard message.nftablesType == NFT_MSG_NEWSET.rawValue else { return nil }
        let object = nftnl_set_alloc()!
        defer { nftnl_set_free(object) }
        guard message.withHeader({ nftnl_set_nlmsg_parse($0, object) }) >= 0,
              let table = nftnl_set_get_str(object, UInt16(NFTNL_SET_TABLE.rawValue)),
              let name = nftnl_set_get_str(object, UInt16(NFTNL_SET_NAME.rawValue)) else { return nil }
        func number(_ attribute: nftnl_set_attr) -> UInt32 { nftnl_set_get_u32(object, UInt16(attribute.rawValue)) }
        let isMap = number(NFTNL_SET_FLAGS) & NFT_SET_MAP.rawValue != 0
        let definition = NFTMapDefinition(
            name: String(cString: name),
            key: NFTDataType(id: number(NFTNL_SET_KEY_TYPE), length: number(NFTNL_SET_KEY_LEN)),
            value: isMap ? NFTDataType(id: number(NFTNL_SET_DATA_TYPE), length: number(NFTNL_SET_DATA_LEN)) : nil)
        return (String(cString: table), definition, number(NFTNL_SET_FLAGS), nftnl_set_get_u64(object, UInt16(NFTNL_SET_HANDLE.rawValue)))
    }

    /// The key and value bytes of every element in one `NEWSETELEM` message.
    static func elements(_ message: NetlinkMessage) -> [NFTMapElement]? {
        guard message.nftablesType == NFT_MSG_NEWSETELEM.rawValue else { return nil }
        let object = nftnl_set_alloc()!
        defer { nftnl_set_free(object) }
        guard message.withHeader({ nftnl_set_elems_nlmsg_parse($0, object) }) >= 0,
              let iterator = nftnl_set_elems_iter_create(object) else { return nil }
        defer { nftnl_set_elems_iter_destroy(iterator) }
        func bytes(_ element: OpaquePointer, _ attribute: Int) -> [UInt8] {
            var length: UInt32 = 0
            guard let data = nftnl_set_elem_get(element, UInt16(attribute), &length) else { return [] }
            return Array(UnsafeRawBufferPointer(start: data, count: Int(length)))
        }
        var elements: [NFTMapElement] = []
        var element = nftnl_set_elems_iter_cur(iterator)
        while let current = element {
            elements.append(NFTMapElement(key: bytes(current, NFTNL_SET_ELEM_KEY), value: bytes(current, NFTNL_SET_ELEM_DATA)))
            element = nftnl_set_elems_iter_next(iterator)
        }
        return elements
    }

    /// A rule with its table, chain, handle, comment and expressions.
    static func rule(_ message: NetlinkMessage) -> (table: String, rule: NFTRuleState)? {
        guard message.nftablesType == NFT_MSG_NEWRULE.rawValue else { return nil }
        let object = nftnl_rule_alloc()!
        defer { nftnl_rule_free(object) }
        guard message.withHeader({ nftnl_rule_nlmsg_parse($0, object) }) >= 0,
              let table = nftnl_rule_get_str(object, UInt16(NFTNL_RULE_TABLE.rawValue)),
              let chain = nftnl_rule_get_str(object, UInt16(NFTNL_RULE_CHAIN.rawValue)),
              let iterator = nftnl_expr_iter_create(object) else { return nil }
        defer { nftnl_expr_iter_destroy(iterator) }
        var expressions: [NFTExpression] = []
        while let expression = nftnl_expr_iter_next(iterator) {
            expressions.append(NFTExpression(NftnlExpression(wrapping: expression)))
        }
        var comment: String?
        var length: UInt32 = 0
        if let userdata = nftnl_rule_get_data(object, UInt16(NFTNL_RULE_USERDATA.rawValue), &length) {
            comment = NFTUserdata.comment(from: UnsafeRawBufferPointer(start: userdata, count: Int(length)))
        }
        let rule = NFTRuleState(chain: String(cString: chain), handle: nftnl_rule_get_u64(object, UInt16(NFTNL_RULE_HANDLE.rawValue)),
                                comment: comment, expressions: expressions)
        return (String(cString: table), rule)
    }
}
