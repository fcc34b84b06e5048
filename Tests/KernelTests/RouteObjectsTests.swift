import Testing
@testable import Kernel

@Suite struct RouteObjectsTests {
    @Test func parsesVethLinkFromDump() throws {
        let datagram = golden("""
            54000000 1000 0200 09000000 00000000   # len 84, RTM_NEWLINK, NLM_F_MULTI, seq 9
            00 00 0100 04000000 43100100 00000000  # ifinfomsg: index 4, flags UP|RUNNING|...
            0900 0300 6574683000 000000            # IFLA_IFNAME "eth0"
            0800 0400 dc050000                     # IFLA_MTU 1500
            0800 0500 07000000                     # IFLA_LINK 7 (peer index)
            0800 2500 00000000                     # IFLA_LINK_NETNSID 0
            1000 1200                              # IFLA_LINKINFO
              0900 0100 7665746800 000000          #   IFLA_INFO_KIND "veth"
            """)
        let message = try #require(NetlinkMessage.split(datagram).first)
        let link = try #require(Link(message))
        #expect(link.index == 4)
        #expect(link.name == "eth0")
        #expect(link.kind == "veth")
        #expect(link.isUp)
        #expect(link.mtu == 1500)
        #expect(link.peerIndex == 7)
        #expect(link.peerInOtherNamespace)
        #expect(link.masterIndex == nil)
    }

    @Test func parsesRouteAndSkipsOtherTables() throws {
        let main = golden("""
            34000000 1800 0200 01000000 00000000   # len 52, RTM_NEWROUTE
            02 00 00 00 fe 04 00 01 00000000       # AF_INET, /0, main, static, unicast
            0800 0f00 fe000000                     # RTA_TABLE 254
            0800 0500 0a000101                     # RTA_GATEWAY 10.0.1.1
            0800 0400 02000000                     # RTA_OIF 2
            """)
        let mainMessage = try #require(NetlinkMessage.split(main).first)
        let route = try #require(Route(mainMessage))
        #expect(route.destination == IPv4Network("0.0.0.0/0"))
        #expect(route.gateway == IPv4Address(10, 0, 1, 1))
        #expect(route.outputInterfaceIndex == 2)
        #expect(route.origin == RouteConstants.protocolStatic)

        let local = golden("""
            2c000000 1800 0200 01000000 00000000
            02 20 00 00 ff 02 fe 02 00000000       # table local, RTN_LOCAL
            0800 0f00 ff000000                     # RTA_TABLE 255
            0800 0100 0a00010b
            """)
        let localMessage = try #require(NetlinkMessage.split(local).first)
        #expect(Route(localMessage) == nil)
    }

    @Test func parsesIPv4AddressAndSkipsIPv6() throws {
        let ipv4 = golden("""
            3c000000 1400 0200 03000000 00000000   # len 60, RTM_NEWADDR, NLM_F_MULTI
            02 18 80 00 02000000                   # ifaddrmsg: AF_INET, /24, permanent, scope universe, index 2
            0800 0100 0a00010b                     # IFA_ADDRESS 10.0.1.11
            0800 0200 0a00010b                     # IFA_LOCAL 10.0.1.11
            0900 0300 6574683000 000000            # IFA_LABEL "eth0"
            0800 0400 0a0001ff                     # IFA_BROADCAST 10.0.1.255
            """)
        let ipv4Message = try #require(NetlinkMessage.split(ipv4).first)
        let address = try #require(InterfaceAddress(ipv4Message))
        #expect(address == InterfaceAddress(interfaceIndex: 2, address: IPv4Interface(address: IPv4Address(10, 0, 1, 11), prefixLength: 24)))

        let ipv6 = golden("""
            2c000000 1400 0200 03000000 00000000   # len 44, RTM_NEWADDR
            0a 40 80 fd 01000000                   # AF_INET6, /64, scope link... index 1
            1400 0100 fe800000 00000000 00000000 00000001  # IFA_ADDRESS fe80::1
            """)
        let ipv6Message = try #require(NetlinkMessage.split(ipv6).first)
        #expect(InterfaceAddress(ipv6Message) == nil)
    }

    @Test func aLinkDumpReplyIsNoAddressAndNoRoute() throws {
        let link = golden("""
            20000000 1000 0200 01000000 00000000   # len 32, RTM_NEWLINK
            00 00 0000 01000000 49000100 00000000  # index 1 (lo)
            """)
        let message = try #require(NetlinkMessage.split(link).first)
        #expect(InterfaceAddress(message) == nil)
        #expect(Route(message) == nil)
        #expect(Link(message) == nil)   // no IFLA_IFNAME
    }

    @Test func decodesExtendedAckError() throws {
        let datagram = golden("""
            38000000 0200 0003 05000000 00000000   # len 56, NLMSG_ERROR, flags CAPPED|ACK_TLVS, seq 5
            efffffff                               # error -17 (EEXIST)
            10000000 1000 0506 05000000 00000000   # echoed request header (capped)
            1100 0100 4c696e6b20616c7265616479 00  # NLMSGERR_ATTR_MSG "Link already" (truncated for the test)
            000000
            """)
        let message = try #require(NetlinkMessage.split(datagram).first)
        let error = try #require(message.errorCode)
        #expect(error.errno == 17)
        #expect(error.message == "Link already")
        #expect(NetlinkError(operation: "creating bridge br-x", errno: 17, kernelMessage: error.message).description
            == "creating bridge br-x: EEXIST (File exists): Link already")
    }

    @Test func splitStopsAtTruncatedMessage() {
        let datagram = golden("14000000 0300 0200 01000000 00000000 00000000  14000000 0300")
        #expect(NetlinkMessage.split(datagram).count == 1)
    }
}
