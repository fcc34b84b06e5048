import Testing
@testable import Kernel

/// ctnetlink dump entries, as the kernel sends them, read into what ActiveFlowCount counts.
@Suite struct ConntrackFlowsTests {
    @Test func dumpRequestAsksForEveryIPv4Entry() {
        #expect(ConntrackFlows.dumpRequest().finish(sequence: 7) == golden("""
            14000000 0101 0103 07000000 00000000   # nlmsghdr: len 20, IPCTNL_MSG_CT_GET (subsys 1), REQUEST|DUMP, seq 7
            02 00 0000                             # nfgenmsg: AF_INET
            """))
    }

    @Test func establishedTranslatedTCPEntryIsActive() throws {
        let message = try #require(NetlinkMessage.split(golden("""
            60000000 0001 0200 07000000 00000000   # nlmsghdr: len 96, IPCTNL_MSG_CT_NEW, MULTI
            02 00 0000                             # nfgenmsg: AF_INET
            3400 0180                              # CTA_TUPLE_ORIG (nested, 52)
              1400 0180                            #   CTA_TUPLE_IP (nested)
                0800 0100 c6336402                 #     CTA_IP_V4_SRC 198.51.100.2
                0800 0200 0a000005                 #     CTA_IP_V4_DST 10.0.0.5
              1c00 0280                            #   CTA_TUPLE_PROTO (nested)
                0500 0100 06 000000                #     CTA_PROTO_NUM TCP
                0600 0200 d431 0000                #     CTA_PROTO_SRC_PORT 54321
                0600 0300 0050 0000                #     CTA_PROTO_DST_PORT 80
            0800 0300 000001ae                     # CTA_STATUS (big endian): ... DST_NAT ...
            1000 0480                              # CTA_PROTOINFO (nested)
              0c00 0180                            #   CTA_PROTOINFO_TCP (nested)
                0500 0100 03 000000                #     CTA_PROTOINFO_TCP_STATE ESTABLISHED
            """)).first)
        let entry = try #require(ConntrackFlows.entry(message))
        #expect(entry == ConntrackFlows.Entry(destination: IPv4Address(10, 0, 0, 5), protocolNumber: 6, destinationPort: 80,
                                              destinationTranslated: true, tcpState: 3, source: IPv4Address(198, 51, 100, 2),
                                              sourcePort: 54321))
        #expect(entry.isActive)
    }

    @Test func timeWaitIsNotActiveAndUDPIs() {
        let address = IPv4Address(10, 0, 0, 5)
        #expect(!ConntrackFlows.Entry(destination: address, protocolNumber: 6, destinationPort: 80, destinationTranslated: true,
                                      tcpState: 7).isActive)
        #expect(ConntrackFlows.Entry(destination: address, protocolNumber: 17, destinationPort: 53, destinationTranslated: true,
                                     tcpState: nil).isActive)
    }
}
