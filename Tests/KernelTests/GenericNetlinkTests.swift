import CLibnl
import Testing
@testable import Kernel

@Suite struct GenericNetlinkTests {
    @Test func familyLookupMatchesGoldenBytes() {
        let bytes = GenericNetlinkFamily.lookupRequest(name: "IPVS").encoder.finish(sequence: 1)
        #expect(bytes == golden("""
            20000000 1000 0500 01000000 00000000   # nlmsghdr: len 32, GENL_ID_CTRL, REQUEST|ACK, seq 1
            03 01 0000                             # genlmsghdr: CTRL_CMD_GETFAMILY, version 1
            0900 0200 4950565300 000000            # CTRL_ATTR_FAMILY_NAME "IPVS" + pad
            """))
    }

    @Test func genericMessageHeaderFollowsNetlinkHeader() {
        let request = GenericNetlinkMessage.request(family: 0x1a, command: 4, version: 1, flags: NLM_F_DUMP, operation: "dumping",
                                                    completion: .dump)
        let bytes = request.encoder.finish(sequence: 9)
        #expect(bytes == golden("""
            14000000 1a00 0103 09000000 00000000   # len 20, family 0x1a, REQUEST|DUMP, seq 9
            04 01 0000                             # genlmsghdr: command 4, version 1
            """))
    }

    @Test func controllerAnswerGivesFamilyIDAndVersion() throws {
        let reply = try #require(NetlinkMessage.split(golden("""
            38000000 1000 0000 01000000 00000000   # nlmsghdr: len 56, GENL_ID_CTRL
            01 02 0000                             # genlmsghdr: CTRL_CMD_NEWFAMILY, version 2
            0900 0200 4950565300 000000            # CTRL_ATTR_FAMILY_NAME "IPVS"
            0600 0100 1a00 0000                    # CTRL_ATTR_FAMILY_ID 0x1a
            0800 0300 01000000                     # CTRL_ATTR_VERSION 1
            0800 0400 00000000                     # CTRL_ATTR_HDRSIZE 0
            0800 0500 06000000                     # CTRL_ATTR_MAXATTR 6
            """)).first)
        let family = try #require(GenericNetlinkFamily(reply: reply))
        #expect(family == GenericNetlinkFamily(name: "IPVS", id: 0x1a, version: 1))
    }

    @Test func answerWithoutFamilyIDIsRejected() throws {
        let reply = try #require(NetlinkMessage.split(golden("""
            1c000000 1000 0000 01000000 00000000   # nlmsghdr: len 28
            01 02 0000                             # genlmsghdr
            0800 0300 01000000                     # CTRL_ATTR_VERSION only
            """)).first)
        #expect(GenericNetlinkFamily(reply: reply) == nil)
    }

    @Test func replyShorterThanGenericHeaderIsRejected() {
        let message = NetlinkMessage(type: 0x10, flags: 0, sequence: 1, portID: 0, payload: [1, 1])
        #expect(GenericNetlinkFamily(reply: message) == nil)
    }
}
