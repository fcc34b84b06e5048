import Testing
@testable import Kernel

@Suite struct IPVSReplyParsingTests {
    static func message(_ annotatedHex: String) throws -> NetlinkMessage {
        try #require(NetlinkMessage.split(golden(annotatedHex)).first)
    }

    @Test func serviceReplyKeepsSchedulerFlagsOnly() throws {
        let reply = try Self.message("""
            84000000 1a00 0200 07000000 00000000   # nlmsghdr: len 132, family 0x1a, MULTI
            01 01 0000                             # genlmsghdr: IPVS_CMD_NEW_SERVICE
            7000 0180                              # IPVS_CMD_ATTR_SERVICE (112)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 0600 0000                  #   PROTOCOL TCP
              1400 0300 0a0001fe 00000000 00000000 00000000  # ADDR 10.0.1.254
              0600 0400 0050 0000                  #   PORT 80
              0700 0600 736800 00                  #   SCHED_NAME "sh"
              0c00 0700 1a000000 ffffffff          #   FLAGS hashed|fallback|port
              0800 0800 00000000                   #   TIMEOUT 0
              0800 0900 ffffffff                   #   NETMASK
              1c00 0a80                            #   STATS (nested, 28)
                0800 0100 05000000                 #     CONNS 5
                0800 0200 09000000                 #     INPKTS 9
                0800 0300 07000000                 #     OUTPKTS 7
            """)
        let service = try #require(IPVSService(reply: reply))
        #expect(service == IPVSService(.tcp, address: IPv4Address(10, 0, 1, 254), port: 80,
                                       scheduler: .sourceHash, flags: [.fallback, .port]))
    }

    @Test func aServiceWithAMarkIsAFirewallMarkService() throws {
        let reply = try Self.message("""
            4c000000 1a00 0200 07000000 00000000   # nlmsghdr: len 76, MULTI
            01 01 0000                             # IPVS_CMD_NEW_SERVICE
            3800 0180                              # IPVS_CMD_ATTR_SERVICE (56)
              0600 0100 0200 0000                  #   AF AF_INET
              0800 0500 bb01424c                   #   FWMARK 0x4c4201bb
              0700 0600 736800 00                  #   SCHED_NAME "sh"
              0c00 0700 1a000000 ffffffff          #   FLAGS hashed|fallback|port
              0800 0800 00000000                   #   TIMEOUT 0
              0800 0900 ffffffff                   #   NETMASK
            """)
        let service = try #require(IPVSService(reply: reply))
        #expect(service == IPVSService(firewallMark: 0x4c42_01bb, scheduler: .sourceHash, flags: [.fallback, .port]))
        #expect(service.description == "FWM 1279394235")
    }

    @Test func persistentServiceReportsItsTimeout() throws {
        let reply = try Self.message("""
            68000000 1a00 0200 07000000 00000000   # nlmsghdr: len 104, MULTI
            01 01 0000                             # IPVS_CMD_NEW_SERVICE
            5400 0180                              # IPVS_CMD_ATTR_SERVICE (84)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 1100 0000                  #   PROTOCOL UDP
              1400 0300 0a0001fd 00000000 00000000 00000000  # ADDR 10.0.1.253
              0600 0400 0035 0000                  #   PORT 53
              0700 0600 6d6800 00                  #   SCHED_NAME "mh"
              0c00 0700 0b000000 ffffffff          #   FLAGS persistent|hashed|fallback
              0800 0800 1e000000                   #   TIMEOUT 30
              0800 0900 ffffffff                   #   NETMASK
            """)
        let service = try #require(IPVSService(reply: reply))
        #expect(service == IPVSService(.udp, address: IPv4Address(10, 0, 1, 253), port: 53,
                                       scheduler: .maglev, flags: .fallback, timeout: 30))
    }

    @Test func timeoutWithoutPersistenceIsZero() throws {
        let reply = try Self.message("""
            68000000 1a00 0200 07000000 00000000   # nlmsghdr: len 104, MULTI
            01 01 0000                             # IPVS_CMD_NEW_SERVICE
            5400 0180                              # IPVS_CMD_ATTR_SERVICE (84)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 0600 0000                  #   PROTOCOL TCP
              1400 0300 0a0001fe 00000000 00000000 00000000  # ADDR 10.0.1.254
              0600 0400 0050 0000                  #   PORT 80
              0700 0600 727200 00                  #   SCHED_NAME "rr"
              0c00 0700 02000000 ffffffff          #   FLAGS hashed
              0800 0800 2c010000                   #   TIMEOUT 300, not in effect
              0800 0900 ffffffff                   #   NETMASK
            """)
        let service = try #require(IPVSService(reply: reply))
        #expect(service.timeout == 0)
        #expect(service.scheduler == IPVSScheduler(rawValue: "rr"))
        #expect(service.flags.isEmpty)
    }

    @Test func destinationReplyCarriesCountersOutsideEquality() throws {
        let reply = try Self.message("""
            74000000 1a00 0200 08000000 00000000   # nlmsghdr: len 116, MULTI
            05 01 0000                             # genlmsghdr: IPVS_CMD_NEW_DEST
            6000 0280                              # IPVS_CMD_ATTR_DEST (96)
              1400 0100 0a00010b 00000000 00000000 00000000  # ADDR 10.0.1.11
              0600 0200 1f90 0000                  #   PORT 8080
              0800 0300 02000000                   #   FWD_METHOD tunnel
              0800 0400 03000000                   #   WEIGHT 3
              0800 0500 00000000                   #   U_THRESH
              0800 0600 00000000                   #   L_THRESH
              0800 0700 04000000                   #   ACTIVE_CONNS 4
              0800 0800 0b000000                   #   INACT_CONNS 11
              0800 0900 00000000                   #   PERSIST_CONNS
              0600 0b00 0200 0000                  #   ADDR_FAMILY AF_INET
            """)
        let destination = try #require(IPVSDestination(reply: reply))
        #expect(destination.counters == IPVSConnectionCounters(activeConnections: 4, inactiveConnections: 11))
        #expect(destination == IPVSDestination(address: IPv4Address(10, 0, 1, 11), port: 8080, weight: 3, forwarding: .tunnel))
        #expect(destination.hashValue == IPVSDestination(address: IPv4Address(10, 0, 1, 11), port: 8080,
                                                         weight: 3, forwarding: .tunnel).hashValue)
    }

    @Test func ipv6DestinationIsSkipped() throws {
        let reply = try Self.message("""
            44000000 1a00 0200 08000000 00000000   # nlmsghdr: len 68, MULTI
            05 01 0000                             # IPVS_CMD_NEW_DEST
            3000 0280                              # IPVS_CMD_ATTR_DEST (48)
              1400 0100 fd000000 00000000 00000000 00000001  # ADDR fd00::1
              0600 0200 1f90 0000                  #   PORT 8080
              0800 0300 00000000                   #   FWD_METHOD masquerade
              0600 0b00 0a00 0000                  #   ADDR_FAMILY AF_INET6
            """)
        #expect(IPVSDestination(reply: reply) == nil)
    }

    @Test func replyWithoutServiceAttributeIsSkipped() throws {
        let reply = try Self.message("""
            14000000 1a00 0200 07000000 00000000   # nlmsghdr: len 20, MULTI
            01 01 0000                             # genlmsghdr only
            """)
        #expect(IPVSService(reply: reply) == nil)
        #expect(IPVSDestination(reply: reply) == nil)
    }
}
