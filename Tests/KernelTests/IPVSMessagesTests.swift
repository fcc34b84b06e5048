import Testing
@testable import Kernel

@Suite struct IPVSMessagesTests {
    static let family: UInt16 = 0x1a
    static let web = IPVSService(.tcp, address: IPv4Address(10, 0, 1, 254), port: 80,
                                 scheduler: .sourceHash, flags: [.fallback, .port])
    static let dns = IPVSService(.udp, address: IPv4Address(10, 0, 1, 253), port: 53,
                                 scheduler: .maglev, flags: [.fallback, .port], timeout: 30)
    static let backend = IPVSDestination(address: IPv4Address(10, 0, 1, 11), port: 8080, weight: 2)

    @Test func newServiceCarriesEverySettingTheKernelRequires() {
        let request = IPVSMessages.newService(Self.web, family: Self.family)
        #expect(request.encoder.finish(sequence: 1) == golden("""
            68000000 1a00 0500 01000000 00000000   # nlmsghdr: len 104, family 0x1a, REQUEST|ACK, seq 1
            01 01 0000                             # genlmsghdr: IPVS_CMD_NEW_SERVICE, version 1
            5400 0180                              # IPVS_CMD_ATTR_SERVICE (84, NLA_F_NESTED)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 0600 0000                  #   PROTOCOL TCP
              1400 0300 0a0001fe 00000000 00000000 00000000  # ADDR 10.0.1.254 (16-byte union)
              0600 0400 0050 0000                  #   PORT 80 (network order)
              0700 0600 736800 00                  #   SCHED_NAME "sh" + pad
              0c00 0700 18000000 ffffffff          #   FLAGS {fallback|port, mask all}
              0800 0800 00000000                   #   TIMEOUT 0
              0800 0900 ffffffff                   #   NETMASK /32
            """))
        #expect(request.operation == "adding service TCP 10.0.1.254:80 (sh fallback,port)")
    }

    @Test func aFirewallMarkServiceIsItsMark() {
        let marked = IPVSService(firewallMark: 0x4c42_01bb, scheduler: .sourceHash, flags: [.fallback, .port])
        let request = IPVSMessages.newService(marked, family: Self.family)
        #expect(request.encoder.finish(sequence: 1) == golden("""
            4c000000 1a00 0500 01000000 00000000   # nlmsghdr: len 76, family 0x1a, REQUEST|ACK, seq 1
            01 01 0000                             # genlmsghdr: IPVS_CMD_NEW_SERVICE, version 1
            3800 0180                              # IPVS_CMD_ATTR_SERVICE (56, NLA_F_NESTED)
              0600 0100 0200 0000                  #   AF AF_INET
              0800 0500 bb01424c                   #   FWMARK 0x4c4201bb (no protocol, address or port)
              0700 0600 736800 00                  #   SCHED_NAME "sh" + pad
              0c00 0700 18000000 ffffffff          #   FLAGS {fallback|port, mask all}
              0800 0800 00000000                   #   TIMEOUT 0
              0800 0900 ffffffff                   #   NETMASK /32
            """))
        #expect(request.operation == "adding service FWM 1279394235 (sh fallback,port)")
        #expect(marked.id != IPVSService(firewallMark: 1).id && marked.id != Self.web.id)
    }

    @Test func setServiceWithTimeoutIsPersistent() {
        let request = IPVSMessages.setService(Self.dns, family: Self.family)
        #expect(request.encoder.finish(sequence: 2) == golden("""
            68000000 1a00 0500 02000000 00000000   # nlmsghdr: len 104, REQUEST|ACK, seq 2
            02 01 0000                             # IPVS_CMD_SET_SERVICE
            5400 0180                              # IPVS_CMD_ATTR_SERVICE (84)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 1100 0000                  #   PROTOCOL UDP
              1400 0300 0a0001fd 00000000 00000000 00000000  # ADDR 10.0.1.253
              0600 0400 0035 0000                  #   PORT 53
              0700 0600 6d6800 00                  #   SCHED_NAME "mh"
              0c00 0700 19000000 ffffffff          #   FLAGS {persistent|fallback|port, mask all}
              0800 0800 1e000000                   #   TIMEOUT 30
              0800 0900 ffffffff                   #   NETMASK /32
            """))
        #expect(request.operation == "updating service UDP 10.0.1.253:53 (mh fallback,port)")
    }

    @Test func deleteServiceSendsOnlyItsIdentity() {
        let request = IPVSMessages.deleteService(Self.web, family: Self.family)
        #expect(request.encoder.finish(sequence: 3) == golden("""
            44000000 1a00 0500 03000000 00000000   # nlmsghdr: len 68, REQUEST|ACK, seq 3
            03 01 0000                             # IPVS_CMD_DEL_SERVICE
            3000 0180                              # IPVS_CMD_ATTR_SERVICE (48)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 0600 0000                  #   PROTOCOL TCP
              1400 0300 0a0001fe 00000000 00000000 00000000  # ADDR 10.0.1.254
              0600 0400 0050 0000                  #   PORT 80
            """))
        #expect(request.operation == "deleting service TCP 10.0.1.254:80")
    }

    @Test func newDestinationNamesItsServiceAndCarriesEverySetting() {
        let request = IPVSMessages.newDestination(Self.backend, in: Self.web, family: Self.family)
        #expect(request.encoder.finish(sequence: 4) == golden("""
            8c000000 1a00 0500 04000000 00000000   # nlmsghdr: len 140, REQUEST|ACK, seq 4
            05 01 0000                             # IPVS_CMD_NEW_DEST
            3000 0180                              # IPVS_CMD_ATTR_SERVICE (48)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 0600 0000                  #   PROTOCOL TCP
              1400 0300 0a0001fe 00000000 00000000 00000000  # ADDR 10.0.1.254
              0600 0400 0050 0000                  #   PORT 80
            4800 0280                              # IPVS_CMD_ATTR_DEST (72, NLA_F_NESTED)
              1400 0100 0a00010b 00000000 00000000 00000000  # ADDR 10.0.1.11
              0600 0200 1f90 0000                  #   PORT 8080
              0800 0300 00000000                   #   FWD_METHOD masquerade
              0800 0400 02000000                   #   WEIGHT 2
              0800 0500 00000000                   #   U_THRESH 0
              0800 0600 00000000                   #   L_THRESH 0
              0600 0b00 0200 0000                  #   ADDR_FAMILY AF_INET
            """))
        #expect(request.operation == "adding destination 10.0.1.11:8080 to TCP 10.0.1.254:80")
    }

    @Test func setDestinationChangesWeightAndForwarding() {
        let drained = IPVSDestination(address: IPv4Address(10, 0, 1, 11), port: 8080, weight: 0, forwarding: .directRoute)
        let request = IPVSMessages.setDestination(drained, in: Self.web, family: Self.family)
        #expect(request.encoder.finish(sequence: 5) == golden("""
            8c000000 1a00 0500 05000000 00000000   # nlmsghdr: len 140, REQUEST|ACK, seq 5
            06 01 0000                             # IPVS_CMD_SET_DEST
            3000 0180                              # IPVS_CMD_ATTR_SERVICE (48)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 0600 0000                  #   PROTOCOL TCP
              1400 0300 0a0001fe 00000000 00000000 00000000  # ADDR 10.0.1.254
              0600 0400 0050 0000                  #   PORT 80
            4800 0280                              # IPVS_CMD_ATTR_DEST (72)
              1400 0100 0a00010b 00000000 00000000 00000000  # ADDR 10.0.1.11
              0600 0200 1f90 0000                  #   PORT 8080
              0800 0300 03000000                   #   FWD_METHOD direct route
              0800 0400 00000000                   #   WEIGHT 0
              0800 0500 00000000                   #   U_THRESH 0
              0800 0600 00000000                   #   L_THRESH 0
              0600 0b00 0200 0000                  #   ADDR_FAMILY AF_INET
            """))
        #expect(request.operation == "updating destination 10.0.1.11:8080 of TCP 10.0.1.254:80 (weight 0, direct-route)")
    }

    @Test func deleteDestinationSendsOnlyIdentities() {
        let request = IPVSMessages.deleteDestination(Self.backend, from: Self.web, family: Self.family)
        #expect(request.encoder.finish(sequence: 6) == golden("""
            6c000000 1a00 0500 06000000 00000000   # nlmsghdr: len 108, REQUEST|ACK, seq 6
            07 01 0000                             # IPVS_CMD_DEL_DEST
            3000 0180                              # IPVS_CMD_ATTR_SERVICE (48)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 0600 0000                  #   PROTOCOL TCP
              1400 0300 0a0001fe 00000000 00000000 00000000  # ADDR 10.0.1.254
              0600 0400 0050 0000                  #   PORT 80
            2800 0280                              # IPVS_CMD_ATTR_DEST (40)
              1400 0100 0a00010b 00000000 00000000 00000000  # ADDR 10.0.1.11
              0600 0200 1f90 0000                  #   PORT 8080
              0600 0b00 0200 0000                  #   ADDR_FAMILY AF_INET
            """))
        #expect(request.operation == "deleting destination 10.0.1.11:8080 from TCP 10.0.1.254:80")
    }

    @Test func dumpServicesIsABareDump() {
        #expect(IPVSMessages.dumpServices(family: Self.family).encoder.finish(sequence: 7) == golden("""
            14000000 1a00 0103 07000000 00000000   # nlmsghdr: len 20, REQUEST|DUMP, seq 7
            04 01 0000                             # IPVS_CMD_GET_SERVICE
            """))
    }

    @Test func dumpDestinationsNamesTheService() {
        #expect(IPVSMessages.dumpDestinations(of: Self.dns, family: Self.family).encoder.finish(sequence: 8) == golden("""
            44000000 1a00 0103 08000000 00000000   # nlmsghdr: len 68, REQUEST|DUMP, seq 8
            08 01 0000                             # IPVS_CMD_GET_DEST
            3000 0180                              # IPVS_CMD_ATTR_SERVICE (48)
              0600 0100 0200 0000                  #   AF AF_INET
              0600 0200 1100 0000                  #   PROTOCOL UDP
              1400 0300 0a0001fd 00000000 00000000 00000000  # ADDR 10.0.1.253
              0600 0400 0035 0000                  #   PORT 53
            """))
    }

    @Test func flushHasNoAttributes() {
        let request = IPVSMessages.flush(family: Self.family)
        #expect(request.encoder.finish(sequence: 9) == golden("""
            14000000 1a00 0500 09000000 00000000   # nlmsghdr: len 20, REQUEST|ACK, seq 9
            11 01 0000                             # IPVS_CMD_FLUSH
            """))
        #expect(request.operation == "flushing the IPVS table")
    }

    @Test func changesMapToTheirBuilders() {
        let change = IPVSChange.addDestination(Self.backend, service: Self.web)
        let viaChange = IPVSMessages.request(for: change, family: Self.family)
        let direct = IPVSMessages.newDestination(Self.backend, in: Self.web, family: Self.family)
        #expect(viaChange.encoder.bytes == direct.encoder.bytes)
        #expect(viaChange.operation == change.description)
    }

    @Test func refusedChangeNamesServiceAndDestination() {
        let request = IPVSMessages.newDestination(Self.backend, in: Self.web, family: Self.family)
        let error = NetlinkBatchError(failures: [NetlinkError(operation: request.operation, errno: 3)])
        #expect(error.description.hasPrefix("adding destination 10.0.1.11:8080 to TCP 10.0.1.254:80: ESRCH"))
    }

    @Test func unavailableErrorSaysWhatToLoad() {
        #expect("\(IPVSUnavailableError())" == "IPVS is not available in this kernel (modprobe ip_vs)")
    }
}
