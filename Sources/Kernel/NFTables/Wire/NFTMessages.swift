import CNetlink

/// Builders for the nftables messages lbnet sends, each made with libnftnl's object API and
/// `*_nlmsg_build_payload`; pure functions of their arguments, so their bytes can be compared
/// with golden values. Every message is for the `ip` family.
enum NFTMessages {
    typealias Flags = NetlinkConstants.Flags
    static let createFlags = Flags.create
    static let dumpFlags = Flags.dump
    /// Elements per `NEWSETELEM`/`DELSETELEM` message (a map of 256 slots takes four).
    static let elementsPerMessage = 64

    // MARK: Changes (sent inside a batch)

    static func addTable(_ name: String) -> NFTMessage {
        NFTMessage(NFT_MSG_NEWTABLE, flags: createFlags, capacity: 256 + name.utf8.count, operation: NFTOperation.addTable(name).description) { header in
            withTable(name) { nftnl_table_nlmsg_build_payload(header, $0) }
        }
    }

    static func deleteTable(_ name: String) -> NFTMessage {
        NFTMessage(NFT_MSG_DELTABLE, flags: 0, capacity: 256 + name.utf8.count, operation: NFTOperation.deleteTable(name).description) { header in
            withTable(name) { nftnl_table_nlmsg_build_payload(header, $0) }
        }
    }

    static func addChain(table: String, _ chain: NFTChainSpec) -> NFTMessage {
        NFTMessage(NFT_MSG_NEWCHAIN, flags: createFlags, capacity: 512 + table.utf8.count + chain.name.utf8.count,
                   operation: NFTOperation.addChain(table: table, chain).description) { header in
            withChain(table: table, name: chain.name) { object in
                nftnl_chain_set_u32(object, UInt16(NFTNL_CHAIN_HOOKNUM.rawValue), chain.hook.rawValue)
                nftnl_chain_set_s32(object, UInt16(NFTNL_CHAIN_PRIO.rawValue), chain.priority)
                _ = nftnl_chain_set_str(object, UInt16(NFTNL_CHAIN_TYPE.rawValue), chain.type.rawValue)
                nftnl_chain_set_u32(object, UInt16(NFTNL_CHAIN_POLICY.rawValue), chain.policy.rawValue)
                nftnl_chain_nlmsg_build_payload(header, object)
            }
        }
    }

    static func deleteChain(table: String, name: String) -> NFTMessage {
        NFTMessage(NFT_MSG_DELCHAIN, flags: 0, capacity: 256 + table.utf8.count + name.utf8.count,
                   operation: NFTOperation.deleteChain(table: table, name: name).description) { header in
            withChain(table: table, name: name) { nftnl_chain_nlmsg_build_payload(header, $0) }
        }
    }

    /// `NEWSET` for a map; `id` lets rules and elements in the same batch refer to it.
    static func addMap(table: String, _ map: NFTMapDefinition, id: UInt32) -> NFTMessage {
        NFTMessage(NFT_MSG_NEWSET, flags: createFlags, capacity: 512 + table.utf8.count + map.name.utf8.count,
                   operation: NFTOperation.addMap(table: table, map).description) { header in
            withSet(table: table, name: map.name) { object in
                nftnl_set_set_u32(object, UInt16(NFTNL_SET_FLAGS.rawValue), map.flags)
                nftnl_set_set_u32(object, UInt16(NFTNL_SET_KEY_TYPE.rawValue), map.key.id)
                nftnl_set_set_u32(object, UInt16(NFTNL_SET_KEY_LEN.rawValue), map.key.length)
                if let value = map.value {
                    nftnl_set_set_u32(object, UInt16(NFTNL_SET_DATA_TYPE.rawValue), value.id)
                    nftnl_set_set_u32(object, UInt16(NFTNL_SET_DATA_LEN.rawValue), value.length)
                }
                nftnl_set_set_u32(object, UInt16(NFTNL_SET_ID.rawValue), id)
                if map.key.isHostByteOrder {
                    _ = NFTUserdata.hostByteOrderKeys().withUnsafeBytes {
                        nftnl_set_set_data(object, UInt16(NFTNL_SET_USERDATA.rawValue), $0.baseAddress, UInt32($0.count))
                    }
                }
                nftnl_set_nlmsg_build_payload(header, object)
            }
        }
    }

    static func deleteMap(table: String, name: String) -> NFTMessage {
        NFTMessage(NFT_MSG_DELSET, flags: 0, capacity: 256 + table.utf8.count + name.utf8.count,
                   operation: NFTOperation.deleteMap(table: table, name: name).description) { header in
            withSet(table: table, name: name) { nftnl_set_nlmsg_build_payload(header, $0) }
        }
    }

    /// `NEWSETELEM` messages adding `elements`, `elementsPerMessage` at a time. `mapID` is set
    /// when the map is created in the same batch.
    static func addElements(table: String, map: String, mapID: UInt32?, _ elements: [NFTMapElement]) -> [NFTMessage] {
        chunks(elements).map { chunk in
            let capacity = 512 + table.utf8.count + map.utf8.count + chunk.reduce(0) { $0 + 64 + $1.key.count + $1.value.count }
            return NFTMessage(NFT_MSG_NEWSETELEM, flags: createFlags, capacity: capacity,
                              operation: NFTOperation.addElements(table: table, map: map, chunk).description) { header in
                withSet(table: table, name: map) { object in
                    if let mapID { nftnl_set_set_u32(object, UInt16(NFTNL_SET_ID.rawValue), mapID) }
                    for element in chunk {
                        let item = nftnl_set_elem_alloc()!
                        setElement(item, NFTNL_SET_ELEM_KEY, element.key)
                        if !element.value.isEmpty { setElement(item, NFTNL_SET_ELEM_DATA, element.value) }
                        nftnl_set_elem_add(object, item)
                    }
                    nftnl_set_elems_nlmsg_build_payload(header, object)
                }
            }
        }
    }

    static func deleteElements(table: String, map: String, keys: [[UInt8]]) -> [NFTMessage] {
        chunks(keys).map { chunk in
            let capacity = 512 + table.utf8.count + map.utf8.count + chunk.reduce(0) { $0 + 32 + $1.count }
            return NFTMessage(NFT_MSG_DELSETELEM, flags: 0, capacity: capacity,
                              operation: NFTOperation.deleteElements(table: table, map: map, keys: chunk).description) { header in
                withSet(table: table, name: map) { object in
                    for key in chunk {
                        let item = nftnl_set_elem_alloc()!
                        setElement(item, NFTNL_SET_ELEM_KEY, key)
                        nftnl_set_elem_add(object, item)
                    }
                    nftnl_set_elems_nlmsg_build_payload(header, object)
                }
            }
        }
    }

    /// `NEWRULE` appending `rule` to its chain, tagged with its comment in the userdata.
    static func addRule(table: String, _ rule: NFTRuleSpec, mapIDs: [String: UInt32]) -> NFTMessage {
        let capacity = 512 + table.utf8.count + rule.chain.utf8.count + 2 * rule.comment.utf8.count
            + rule.expressions.reduce(0) { $0 + 160 + 2 * $1.dataSize }
        return NFTMessage(NFT_MSG_NEWRULE, flags: createFlags | Flags.append, capacity: capacity,
                          operation: NFTOperation.addRule(table: table, rule).description) { header in
            withRule(table: table, chain: rule.chain) { object in
                for expression in rule.expressions {
                    nftnl_rule_add_expr(object, expression.makeNftnlExpression(mapIDs: mapIDs))
                }
                let userdata = NFTUserdata.comment(rule.comment)
                _ = userdata.withUnsafeBytes {
                    nftnl_rule_set_data(object, UInt16(NFTNL_RULE_USERDATA.rawValue), $0.baseAddress, UInt32($0.count))
                }
                nftnl_rule_nlmsg_build_payload(header, object)
            }
        }
    }

    static func deleteRule(table: String, chain: String, handle: UInt64, comment: String?) -> NFTMessage {
        NFTMessage(NFT_MSG_DELRULE, flags: 0, capacity: 256 + table.utf8.count + chain.utf8.count,
                   operation: NFTOperation.deleteRule(table: table, chain: chain, handle: handle, comment: comment).description) { header in
            withRule(table: table, chain: chain) { object in
                nftnl_rule_set_u64(object, UInt16(NFTNL_RULE_HANDLE.rawValue), handle)
                nftnl_rule_nlmsg_build_payload(header, object)
            }
        }
    }

    // MARK: Batch framing

    /// `NFNL_MSG_BATCH_BEGIN` for the nftables subsystem. With `generation`, the kernel refuses
    /// the whole batch (`ERESTART`) unless the ruleset is still at that generation.
    static func batchBegin(generation: UInt32?) -> NFTMessage {
        NFTMessage(capacity: 64, operation: "starting the nftables batch") { buffer in
            let header = nftnl_batch_begin(buffer, 0)!
            if let generation { mnl_attr_put_u32(header, UInt16(NFNL_BATCH_GENID.rawValue), generation.bigEndian) }
            return header
        }
    }

    static func batchEnd() -> NFTMessage {
        NFTMessage(capacity: 64, operation: "ending the nftables batch") { nftnl_batch_end($0, 0)! }
    }

    // MARK: Read-back requests

    /// `GETGEN`, answered with `NEWGEN` and an ACK.
    static func getGeneration() -> NFTMessage {
        NFTMessage(capacity: 64, operation: "reading the nftables generation") { buffer in
            nftnl_nlmsg_build_hdr(buffer, UInt16(NFT_MSG_GETGEN.rawValue), UInt16(AF_UNSPEC), Flags.ack, 0)!
        }
    }

    /// `GETTABLE` for one table by name (answered with the table or `ENOENT`).
    static func getTable(_ name: String) -> NFTMessage {
        NFTMessage(NFT_MSG_GETTABLE, flags: Flags.ack, capacity: 256 + name.utf8.count, operation: "reading table ip \(name)") { header in
            withTable(name) { nftnl_table_nlmsg_build_payload(header, $0) }
        }
    }

    /// Chain dumps cannot be restricted to one table: the reader filters them.
    static func dumpChains(table: String) -> NFTMessage {
        NFTMessage(NFT_MSG_GETCHAIN, flags: dumpFlags, capacity: 64, operation: "dumping the chains of table ip \(table)") { _ in }
    }

    static func dumpMaps(table: String) -> NFTMessage {
        NFTMessage(NFT_MSG_GETSET, flags: dumpFlags, capacity: 256 + table.utf8.count, operation: "dumping the maps of table ip \(table)") { header in
            let object = nftnl_set_alloc()!
            defer { nftnl_set_free(object) }
            _ = nftnl_set_set_str(object, UInt16(NFTNL_SET_TABLE.rawValue), table)
            nftnl_set_nlmsg_build_payload(header, object)
        }
    }

    static func dumpElements(table: String, map: String) -> NFTMessage {
        NFTMessage(NFT_MSG_GETSETELEM, flags: dumpFlags, capacity: 256 + table.utf8.count + map.utf8.count,
                   operation: "dumping the elements of map \(table)/\(map)") { header in
            withSet(table: table, name: map) { nftnl_set_elems_nlmsg_build_payload(header, $0) }
        }
    }

    static func dumpRules(table: String) -> NFTMessage {
        NFTMessage(NFT_MSG_GETRULE, flags: dumpFlags, capacity: 256 + table.utf8.count, operation: "dumping the rules of table ip \(table)") { header in
            let object = nftnl_rule_alloc()!
            defer { nftnl_rule_free(object) }
            _ = nftnl_rule_set_str(object, UInt16(NFTNL_RULE_TABLE.rawValue), table)
            nftnl_rule_nlmsg_build_payload(header, object)
        }
    }

    // MARK: libnftnl objects

    private static func withTable(_ name: String, _ body: (OpaquePointer) -> Void) {
        let object = nftnl_table_alloc()!
        defer { nftnl_table_free(object) }
        _ = nftnl_table_set_str(object, UInt16(NFTNL_TABLE_NAME.rawValue), name)
        body(object)
    }

    private static func withChain(table: String, name: String, _ body: (OpaquePointer) -> Void) {
        let object = nftnl_chain_alloc()!
        defer { nftnl_chain_free(object) }
        _ = nftnl_chain_set_str(object, UInt16(NFTNL_CHAIN_TABLE.rawValue), table)
        _ = nftnl_chain_set_str(object, UInt16(NFTNL_CHAIN_NAME.rawValue), name)
        body(object)
    }

    private static func withSet(table: String, name: String, _ body: (OpaquePointer) -> Void) {
        let object = nftnl_set_alloc()!
        defer { nftnl_set_free(object) }
        _ = nftnl_set_set_str(object, UInt16(NFTNL_SET_TABLE.rawValue), table)
        _ = nftnl_set_set_str(object, UInt16(NFTNL_SET_NAME.rawValue), name)
        body(object)
    }

    private static func withRule(table: String, chain: String, _ body: (OpaquePointer) -> Void) {
        let object = nftnl_rule_alloc()!
        defer { nftnl_rule_free(object) }
        _ = nftnl_rule_set_str(object, UInt16(NFTNL_RULE_TABLE.rawValue), table)
        _ = nftnl_rule_set_str(object, UInt16(NFTNL_RULE_CHAIN.rawValue), chain)
        body(object)
    }

    private static func setElement(_ element: OpaquePointer, _ attribute: Int, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { nftnl_set_elem_set(element, UInt16(attribute), $0.baseAddress, UInt32($0.count)) }
    }

    private static func chunks<T>(_ items: [T]) -> [[T]] {
        stride(from: 0, to: items.count, by: elementsPerMessage).map { Array(items[$0..<min($0 + elementsPerMessage, items.count)]) }
    }
}

extension NFTExpression {
    /// Bytes of constant data the expression carries (for sizing message buffers).
    var dataSize: Int {
        switch self {
        case .compare(_, _, let data), .immediate(let data, _): data.count
        case .bitwise(_, let mask, let xor, _): mask.count + xor.count
        case .lookup(_, let set, _): set.utf8.count
        default: 0
        }
    }
}
