import Testing
@testable import Kernel

/// Bytes of the nftables messages lbnet builds with libnftnl, against annotated golden hex
/// (x86-64: slot keys are host-order integers), and rules parsed back by the read-back code.
@Suite struct NFTablesMessagesTests {
    @Test func addTableMatchesGoldenBytes() {
        #expect(NFTMessages.addTable("lbnet_nlb").sequenced(1) == golden("""
            24000000 000a 0104 01000000 00000000   # nlmsghdr: len 36, NFT_MSG_NEWTABLE (subsys 10), REQUEST|CREATE, seq 1
            02 00 0000                             # nfgenmsg: NFPROTO_IPV4, version 0, res_id 0
            0e00 0100 6c626e65745f6e6c6200 0000    # NFTA_TABLE_NAME "lbnet_nlb" + pad
            """))
    }

    @Test func addElementMatchesGoldenBytes() {
        let element = NFTMapElement(key: NLBNodeTable.slotKey(1),
                                    value: NLBNodeTable.endpointValue(NLBEndpoint(address: IPv4Address(10, 0, 1, 11), port: 8080)))
        let messages = NFTMessages.addElements(table: "lbnet_nlb", map: "backends_tcp_80", mapID: nil, [element])
        #expect(messages.count == 1)
        #expect(messages[0].sequenced(2) == golden("""
            5c000000 0c0a 0104 02000000 00000000   # nlmsghdr: len 92, NFT_MSG_NEWSETELEM, REQUEST|CREATE, seq 2
            02 00 0000                             # nfgenmsg: NFPROTO_IPV4
            1400 0200 6261636b656e64735f7463705f383000  # NFTA_SET_ELEM_LIST_SET "backends_tcp_80"
            0e00 0100 6c626e65745f6e6c6200 0000    # NFTA_SET_ELEM_LIST_TABLE "lbnet_nlb" + pad
            2400 0380                              # NFTA_SET_ELEM_LIST_ELEMENTS (nested, 36)
              2000 0180                            #   NFTA_LIST_ELEM (nested, 32)
                0c00 0180                          #     NFTA_SET_ELEM_KEY (nested)
                  0800 0100 01000000               #       NFTA_DATA_VALUE: slot 1, host order
                1000 0280                          #     NFTA_SET_ELEM_DATA (nested)
                  0c00 0100 0a00010b 1f90 0000     #       NFTA_DATA_VALUE: 10.0.1.11 . 8080, port padded to 4
            """))
    }

    @Test func addSlotMapMatchesGoldenBytes() {
        let map = NFTMapDefinition(name: "backends_tcp_80", key: NLBNodeTable.mapKey, value: NLBNodeTable.mapValue)
        #expect(NFTMessages.addMap(table: "lbnet_nlb", map, id: 1).sequenced(6) == golden("""
            74000000 090a 0104 06000000 00000000   # nlmsghdr: len 116, NFT_MSG_NEWSET, REQUEST|CREATE, seq 6
            02 00 0000                             # nfgenmsg: NFPROTO_IPV4
            0e00 0100 6c626e65745f6e6c6200 0000    # NFTA_SET_TABLE "lbnet_nlb"
            1400 0200 6261636b656e64735f7463705f383000  # NFTA_SET_NAME "backends_tcp_80"
            0800 0300 00000008                     # NFTA_SET_FLAGS NFT_SET_MAP
            0800 0400 00000013                     # NFTA_SET_KEY_TYPE 19 (mark)
            0800 0500 00000004                     # NFTA_SET_KEY_LEN 4
            0800 0600 000001cd                     # NFTA_SET_DATA_TYPE 461 (ipv4_addr . inet_service: 7 << 6 | 13)
            0800 0700 00000008                     # NFTA_SET_DATA_LEN 8
            0800 0a00 00000001                     # NFTA_SET_ID 1
            0a00 0d00 00 04 01000000 0000          # NFTA_SET_USERDATA: KEYBYTEORDER (0), 4 bytes, host endian (1)
            """))
    }

    @Test func batchFramingCarriesTheGeneration() {
        #expect(NFTMessages.batchBegin(generation: 7).sequenced(3) == golden("""
            1c000000 1000 0100 03000000 00000000   # nlmsghdr: len 28, NFNL_MSG_BATCH_BEGIN, REQUEST, seq 3
            00 00 000a                             # nfgenmsg: AF_UNSPEC, res_id NFNL_SUBSYS_NFTABLES (big endian)
            0800 0100 00000007                     # NFNL_BATCH_GENID 7 (big endian)
            """))
        #expect(NFTMessages.batchEnd().sequenced(4) == golden("""
            14000000 1100 0100 04000000 00000000   # nlmsghdr: len 20, NFNL_MSG_BATCH_END, REQUEST, seq 4
            00 00 000a                             # nfgenmsg
            """))
    }

    @Test func deleteRuleNamesItsHandle() {
        let message = NFTMessages.deleteRule(table: "lbnet_nlb", chain: "output", handle: 5, comment: "lbnet:dnat tcp 80")
        #expect(message.sequenced(5) == golden("""
            3c000000 080a 0100 05000000 00000000   # nlmsghdr: len 60, NFT_MSG_DELRULE, REQUEST, seq 5
            02 00 0000                             # nfgenmsg: NFPROTO_IPV4
            0e00 0100 6c626e65745f6e6c6200 0000    # NFTA_RULE_TABLE "lbnet_nlb"
            0b00 0200 6f757470757400 00            # NFTA_RULE_CHAIN "output"
            0c00 0300 0000000000000005             # NFTA_RULE_HANDLE 5 (big endian)
            """))
        #expect(message.operation == "deleting rule \"lbnet:dnat tcp 80\" (handle 5) from chain lbnet_nlb/output")
    }

    @Test func rulesParseBackToTheirExpressions() throws {
        let spec = NLBNodeSpec(address: IPv4Address(192, 168, 77, 2), listeners: [
            NLBListener(transport: .udp, port: 53, backends: [NLBBackend(address: IPv4Address(10, 0, 0, 1), port: 5353)]),
        ])
        let gateway = ElasticIPNATSpec(internetInterface: "igw0", mappings: [])
        let rules = try NLBNodeTable.desired(spec, current: nil).rules + GatewayNATTable.desired(gateway).rules + [
            NFTRuleSpec(chain: "c", purpose: "constants", expressions: [.immediate(data: [1, 2, 3, 4], into: .register(2)), .verdict(.accept)]),
        ]
        for rule in rules {
            let bytes = NFTMessages.addRule(table: "t", rule, mapIDs: ["backends_udp_53": 1]).sequenced(9)
            let message = try #require(NetlinkMessage.split(bytes).first)
            let parsed = try #require(NFTReadBack.rule(message))
            #expect(parsed.table == "t")
            #expect(parsed.rule.comment == rule.comment)
            #expect(parsed.rule.expressions == rule.expressions, "\(rule)")
        }
    }

    @Test func elementsAreSplitAcrossMessages() {
        let elements = (0..<256).map { NFTMapElement(key: NLBNodeTable.slotKey(UInt32($0)), value: [0, 0, 0, 0, 0, 0, 0, 0]) }
        let messages = NFTMessages.addElements(table: "t", map: "m", mapID: nil, elements)
        #expect(messages.count == 4)
        #expect(messages.allSatisfy { $0.operation.hasPrefix("adding 64 element(s) to map t/m: ") })
    }

    @Test func batchNumbersMessagesAndReferencesNewMapsByID() throws {
        let map = NFTMapDefinition(name: "m", key: .ipv4Address, value: .ipv4Address)
        let rule = NFTRuleSpec(chain: "c", purpose: "p", expressions: [.lookup(.register(1), set: "m", into: .register(1))])
        let batch = NFTBatch([.addTable("t"), .addMap(table: "t", map), .addRule(table: "t", rule)])
        let encoded = NFTEncodedBatch(batch.messages, firstSequence: 100, generation: 3)
        let messages = NetlinkMessage.split(encoded.bytes)
        #expect(messages.map(\.sequence) == [100, 101, 102, 103, 104])
        #expect(messages.first?.type == 0x10 && messages.last?.type == 0x11)
        #expect(encoded.operations[102] == "adding map t/m (ipv4_addr : ipv4_addr)")
        let lookup = try #require(NFTReadBack.rule(messages[3]))
        #expect(lookup.rule.expressions == rule.expressions)
        // NFTA_SET_ID 1 (big endian) is in the map message and inside the rule's lookup.
        let setID: [UInt8] = [0x08, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x01]
        #expect(messages[2].payload.contains(setID))
        #expect(messages[3].payload.contains([0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01]))
    }
}

private extension Array where Element == UInt8 {
    func contains(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
