import Testing
@testable import Kernel

/// IPVS's 64-bit counters read out of service and destination dump replies, against annotated
/// golden bytes as the kernel sends them (32-bit `STATS` beside `STATS64`, pad attributes).
@Suite struct IPVSStatsParsingTests {
    @Test func serviceReplyGivesItsStats64() throws {
        let reply = try IPVSReplyParsingTests.message("""
            b8000000 1a00 0200 07000000 00000000   # nlmsghdr: len 184, family 0x1a, MULTI
            01 01 0000                             # genlmsghdr: IPVS_CMD_NEW_SERVICE
            a400 0180                              # IPVS_CMD_ATTR_SERVICE (164)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 0600 0000                  #   PROTOCOL TCP
              1400 0300 0a000005 00000000 00000000 00000000  # ADDR 10.0.0.5
              0600 0400 0050 0000                  #   PORT 80
              0700 0600 727200 00                  #   SCHED_NAME "rr"
              0c00 0700 02000000 ffffffff          #   FLAGS hashed
              0800 0800 00000000                   #   TIMEOUT 0
              0800 0900 ffffffff                   #   NETMASK
              0c00 0a80                            #   STATS (32-bit, nested, 12)
                0800 0100 ffffffff                 #     CONNS (wrapped: ignored)
              4400 0c80                            #   STATS64 (nested, 68)
                0400 0b00                          #     PAD
                0c00 0100 0300000000000000         #     CONNS 3
                0c00 0200 1e00000000000000         #     INPKTS 30
                0c00 0300 1400000000000000         #     OUTPKTS 20
                0c00 0400 d007000000000000         #     INBYTES 2000
                0c00 0500 0000000001000000         #     OUTBYTES 2^32
            """)
        let entry = try #require(IPVSServiceStatistics(reply: reply))
        #expect(entry.service == IPVSService(.tcp, address: IPv4Address(10, 0, 0, 5), port: 80, scheduler: IPVSScheduler(rawValue: "rr")))
        #expect(entry.stats == IPVSStats(connections: 3, inPackets: 30, outPackets: 20, inBytes: 2000, outBytes: 1 << 32))
    }

    @Test func destinationReplyGivesItsStats64AndConnections() throws {
        let reply = try IPVSReplyParsingTests.message("""
            9c000000 1a00 0200 07000000 00000000   # nlmsghdr: len 156, MULTI
            05 01 0000                             # genlmsghdr: IPVS_CMD_NEW_DEST
            8800 0280                              # IPVS_CMD_ATTR_DEST (136)
              1400 0100 0a00010b 00000000 00000000 00000000  # ADDR 10.0.1.11
              0600 0200 1f90 0000                  #   PORT 8080
              0800 0300 00000000                   #   FWD_METHOD masquerade
              0800 0400 01000000                   #   WEIGHT 1
              0800 0700 02000000                   #   ACTIVE_CONNS 2
              0800 0800 05000000                   #   INACT_CONNS 5
              0600 0b00 0200 0000                  #   ADDR_FAMILY AF_INET
              4000 0c80                            #   STATS64 (nested, 64)
                0c00 0100 0700000000000000         #     CONNS 7
                0c00 0200 0000000000000000         #     INPKTS 0
                0c00 0300 0000000000000000         #     OUTPKTS 0
                0c00 0400 4000000000000000         #     INBYTES 64
                0c00 0500 8000000000000000         #     OUTBYTES 128
            """)
        let entry = try #require(IPVSDestinationStatistics(reply: reply))
        #expect(entry.destination.id == IPVSDestination.ID(address: IPv4Address(10, 0, 1, 11), port: 8080))
        #expect(entry.destination.counters == IPVSConnectionCounters(activeConnections: 2, inactiveConnections: 5))
        #expect(entry.stats == IPVSStats(connections: 7, inBytes: 64, outBytes: 128))
    }

    @Test func openConnectionsAreEstablishedForTCPAndEveryEntryForUDP() {
        let destination = IPVSDestinationStatistics(
            destination: IPVSDestination(address: IPv4Address(10, 0, 1, 11), port: 53,
                                         counters: IPVSConnectionCounters(activeConnections: 2, inactiveConnections: 5)),
            stats: IPVSStats())
        let tcp = IPVSServiceStatistics(service: IPVSService(.tcp, address: IPv4Address(10, 0, 0, 5), port: 53),
                                        stats: IPVSStats(), destinations: [destination, destination])
        let udp = IPVSServiceStatistics(service: IPVSService(.udp, address: IPv4Address(10, 0, 0, 5), port: 53),
                                        stats: IPVSStats(), destinations: [destination])
        #expect(tcp.openConnections == 4)
        #expect(udp.openConnections == 7)
    }
}
