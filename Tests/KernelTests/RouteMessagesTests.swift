import Glibc
import Testing
@testable import Kernel

@Suite struct RouteMessagesTests {
    @Test func createBridgeMatchesGoldenBytes() {
        let bytes = RouteMessages.createBridge(name: "br-test").encoder.finish(sequence: 1)
        #expect(bytes == golden("""
            3c000000 1000 0506 01000000 00000000   # nlmsghdr: len 60, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 1
            00 00 0000 00000000 00000000 00000000  # ifinfomsg: AF_UNSPEC, index 0
            0c00 0300 62722d7465737400             # IFLA_IFNAME "br-test"
            1000 1280                              # IFLA_LINKINFO (16 bytes, NLA_F_NESTED as libnl sets it)
              0b00 0100 62726964676500 00          #   IFLA_INFO_KIND "bridge" + pad
            """))
    }

    @Test func createVethPutsPeerInOtherNamespace() {
        let request = RouteMessages.createVeth(name: "v-a", peerName: "eth0", peerNamespaceFD: 7, peerNamespace: "lbnet-a")
        #expect(request.encoder.finish(sequence: 2) == golden("""
            64000000 1000 0506 02000000 00000000   # nlmsghdr: len 100, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
            00 00 0000 00000000 00000000 00000000  # ifinfomsg
            0800 0300 762d6100                     # IFLA_IFNAME "v-a"
            3c00 1280                              # IFLA_LINKINFO (60, NLA_F_NESTED)
              0900 0100 7665746800 000000          #   IFLA_INFO_KIND "veth" + pad
              2c00 0280                            #   IFLA_INFO_DATA (44, NLA_F_NESTED)
                2800 0180                          #     VETH_INFO_PEER (40, NLA_F_NESTED)
                  00 00 0000 00000000 00000000 00000000  # peer's ifinfomsg
                  0900 0300 6574683000 000000      #       IFLA_IFNAME "eth0" + pad
                  0800 1c00 07000000               #       IFLA_NET_NS_FD 7
            """))
        #expect(request.operation == "creating veth v-a with peer eth0 in lbnet-a")
    }

    @Test func setLinkUpWithMaster() {
        let bytes = RouteMessages.setLink(index: 5, name: "v-a", up: true, master: 3).encoder.finish(sequence: 3)
        #expect(bytes == golden("""
            28000000 1000 0500 03000000 00000000   # len 40, RTM_NEWLINK, REQUEST|ACK
            00 00 0000 05000000 01000000 01000000  # index 5, flags IFF_UP, change IFF_UP
            0800 0a00 03000000                     # IFLA_MASTER 3
            """))
    }

    @Test func addAddressCarriesLocalAndAddress() {
        let address = IPv4Interface(address: IPv4Address(10, 0, 1, 11), prefixLength: 24)
        let bytes = RouteMessages.addAddress(address, index: 2, interface: "eth0").encoder.finish(sequence: 4)
        #expect(bytes == golden("""
            28000000 1400 0506 04000000 00000000   # len 40, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
            02 18 00 00 02000000                   # ifaddrmsg: AF_INET, /24, flags 0, scope universe, index 2
            0800 0200 0a00010b                     # IFA_LOCAL 10.0.1.11
            0800 0100 0a00010b                     # IFA_ADDRESS 10.0.1.11
            """))
    }

    @Test func defaultRouteViaGatewayReplaces() {
        let route = Route(destination: IPv4Network("0.0.0.0/0")!, gateway: IPv4Address(10, 0, 1, 1))
        let bytes = RouteMessages.addRoute(route).encoder.finish(sequence: 5)
        #expect(bytes == golden("""
            2c000000 1800 0505 05000000 00000000   # len 44, RTM_NEWROUTE, REQUEST|ACK|REPLACE|CREATE
            02 00 00 00 fe 04 00 01 00000000       # rtmsg: AF_INET, dst/0, table main, proto static, scope universe, unicast
            0800 0f00 fe000000                     # RTA_TABLE 254 (libnl always sends it); no RTA_DST for /0
            0800 0500 0a000101                     # RTA_GATEWAY 10.0.1.1
            """))
    }

    @Test func dumpRequestsAskForDump() {
        let bytes = RouteMessages.dumpLinks().finish(sequence: 6)
        #expect(bytes.count == 32)
        #expect(bytes[4] == 18 && bytes[6] == 0x01 && bytes[7] == 0x03)
    }
}

@Suite struct RouteMessagesMoreTests {
    @Test func deviceRouteHasLinkScopeDestinationAndInterface() {
        let route = Route(destination: IPv4Network("10.0.2.0/24")!, gateway: nil, outputInterfaceIndex: 3)
        let bytes = RouteMessages.deleteRoute(route).encoder.finish(sequence: 7)
        #expect(bytes == golden("""
            34000000 1900 0500 07000000 00000000   # len 52, RTM_DELROUTE, REQUEST|ACK
            02 18 00 00 fe 04 fd 01 00000000       # rtmsg: AF_INET, /24, main, static, scope link, unicast
            0800 0f00 fe000000                     # RTA_TABLE 254
            0800 0100 0a000200                     # RTA_DST 10.0.2.0
            0800 0400 03000000                     # RTA_OIF 3
            """))
    }

    @Test func setLinkDownWithMTU() {
        let bytes = RouteMessages.setLink(index: 5, name: "v-a", up: false, mtu: 9000).encoder.finish(sequence: 8)
        #expect(bytes == golden("""
            28000000 1000 0500 08000000 00000000   # len 40, RTM_NEWLINK, REQUEST|ACK
            00 00 0000 05000000 00000000 01000000  # index 5, flags 0, change IFF_UP: down
            0800 0400 28230000                     # IFLA_MTU 9000
            """))
    }

    @Test func deleteLinkByIndex() {
        let request = RouteMessages.deleteLink(index: 9, name: "v-b")
        #expect(request.encoder.finish(sequence: 9) == golden("""
            20000000 1100 0500 09000000 00000000   # len 32, RTM_DELLINK, REQUEST|ACK
            00 00 0000 09000000 00000000 00000000  # ifinfomsg: index 9
            """))
        #expect(request.alreadyDone == [ENODEV])
    }
}
