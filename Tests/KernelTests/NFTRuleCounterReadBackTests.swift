import Testing
@testable import Kernel

/// A rule dump reply with a counter, as the kernel sends it, read back into the packets and
/// bytes the NLB metrics use; and the rules NLBNodeTable tags for them.
@Suite struct NFTRuleCounterReadBackTests {
    static let processedBytesRule = """
        88000000 060a 0200 07000000 00000000   # nlmsghdr: len 136, NFT_MSG_NEWRULE (subsys 10), MULTI
        02 00 0000                             # nfgenmsg: NFPROTO_IPV4
        0e00 0100 6c626e65745f6e6c6200 0000    # NFTA_RULE_TABLE "lbnet_nlb" + pad
        0c00 0200 666f727761726400             # NFTA_RULE_CHAIN "forward"
        0c00 0300 0000000000000004             # NFTA_RULE_HANDLE 4 (big endian)
        3000 0480                              # NFTA_RULE_EXPRESSIONS (nested, 48)
          2c00 0180                            #   NFTA_LIST_ELEM (nested, 44)
            0c00 0100 636f756e74657200         #     NFTA_EXPR_NAME "counter"
            1c00 0280                          #     NFTA_EXPR_DATA (nested, 28)
              0c00 0100 000000000001e240       #       NFTA_COUNTER_BYTES 123456 (big endian)
              0c00 0200 000000000000002a       #       NFTA_COUNTER_PACKETS 42
        1c00 0700                              # NFTA_RULE_USERDATA (28)
          00 16 6c626e65743a70726f636573736564206279746573 00  # comment "lbnet:processed bytes"
        """

    @Test func counterOfARuleIsReadBack() throws {
        let message = try #require(NetlinkMessage.split(golden(Self.processedBytesRule)).first)
        let (table, counter) = try #require(NFTReadBack.ruleCounter(message))
        #expect(table == "lbnet_nlb")
        #expect(counter == NFTRuleCounter(chain: "forward", comment: "lbnet:processed bytes", packets: 42, bytes: 123_456))
        #expect(counter.isRule(purpose: NLBNodeTable.processedBytesPurpose))
        #expect(!counter.isRule(purposePrefix: NLBNodeTable.dnatPurposePrefix))
    }

    @Test func ruleWithoutCounterGivesNone() throws {
        let rule = NFTRuleSpec(chain: "postrouting", purpose: "masquerade balanced flows", expressions: [.masquerade])
        let message = try #require(NetlinkMessage.split(NFTMessages.addRule(table: "lbnet_nlb", rule, mapIDs: [:]).sequenced(1)).first)
        #expect(NFTReadBack.ruleCounter(message) == nil)
    }

    @Test func nodeTableCountsFlowsAndBytes() throws {
        let spec = NLBNodeSpec(address: IPv4Address(10, 0, 0, 5), listeners: [NLBListener(transport: .tcp, port: 80, backends: [])])
        let table = try NLBNodeTable.desired(spec, current: nil)
        let dnat = table.rules.filter { $0.purpose.hasPrefix(NLBNodeTable.dnatPurposePrefix) }
        #expect(dnat.count == 2 && dnat.allSatisfy { $0.expressions.contains(.counter) })
        let bytes = try #require(table.rules.first { $0.purpose == NLBNodeTable.processedBytesPurpose })
        #expect(bytes.chain == "forward" && bytes.expressions.last == .counter)
        let resets = table.rules.filter { [NLBNodeTable.clientResetsPurpose, NLBNodeTable.targetResetsPurpose].contains($0.purpose) }
        #expect(resets.count == 2 && resets.allSatisfy { $0.chain == "forward" && $0.expressions.last == .counter })
        #expect(table.chains.contains { $0.name == "forward" && $0.type == .filter && $0.hook == .forward })
    }
}
