import Foundation
import Testing
@testable import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// Whether the IPVS kernel tests run: they need root and a kernel with IPVS loaded, and skip
/// without them, unless `LBNET_REQUIRE_IPVS=1` (set by `scripts/vm-test`) says IPVS must be
/// there: then they run and fail on their first check.
enum IPVSAvailability {
    static var isPresent: Bool { geteuid() == 0 && FileManager.default.fileExists(atPath: "/proc/net/ip_vs") }
    static var isRequired: Bool { ProcessInfo.processInfo.environment["LBNET_REQUIRE_IPVS"] == "1" }
    static var shouldRun: Bool { isPresent || isRequired }

    static func require() throws {
        try #require(isPresent, "LBNET_REQUIRE_IPVS=1 but IPVS is missing: the tests need root and /proc/net/ip_vs (modprobe ip_vs)")
    }
}

/// A throwaway network namespace for one test, with an IPVS client inside it. Loopback is
/// brought up first: until a namespace has a local routing table, IPVS refuses destinations.
enum IPVSScratchNamespace {
    static func run(_ body: (IPVSClient, String) async throws -> Void) async throws {
        try IPVSAvailability.require()
        let name = "lbnet-t" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try NetworkNamespace.create(name)
        defer {
            do { try NetworkNamespace.delete(name) } catch { Issue.record(error, "deleting namespace \(name)") }
        }
        let route = RouteNetlink(socket: try NetworkNamespace.socket(in: name, protocol: NetlinkConstants.Family.route))
        try route.apply([RouteMessages.setLink(index: 1, name: "lo", up: true)])
        let client = try IPVSClient(socket: NetworkNamespace.socket(in: name, protocol: NetlinkConstants.Family.generic))
        try await body(client, name)
    }

    /// `ipvsadm -Sn` run in the namespace: the table as ipvsadm's own reading of the kernel
    /// sees it, one rule per line, as a set (ipvsadm lists services in hash order). It runs and
    /// is waited for on a thread of its own, not on the cooperative pool.
    static func ipvsadmRules(in name: String) async throws -> Set<String> {
        let ip = try executable("ip"), ipvsadm = try executable("ipvsadm")
        let (status, data) = try await onOwnThread { () throws -> (Int32, Data) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ip)
            process.arguments = ["netns", "exec", name, ipvsadm, "-Sn"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, data)
        }
        try #require(status == 0, "ip netns exec \(name) ipvsadm -Sn failed")
        return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    static func executable(_ name: String) throws -> String {
        let found = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        return try #require(found, "\(name) is not installed")
    }
}

@Suite(.serialized, .enabled(if: IPVSAvailability.shouldRun))
struct IPVSKernelTests {
    static let web = IPVSService(.tcp, address: IPv4Address(10, 0, 1, 254), port: 80,
                                 scheduler: .sourceHash, flags: [.fallback, .port])
    static let dns = IPVSService(.udp, address: IPv4Address(10, 0, 1, 253), port: 53,
                                 scheduler: .maglev, flags: [.fallback, .port], timeout: 30)
    static func backend(_ last: UInt8, port: UInt16 = 8080, weight: UInt32 = 1,
                        forwarding: IPVSForwarding = .masquerade) -> IPVSDestination {
        IPVSDestination(address: IPv4Address(10, 0, 1, last), port: port, weight: weight, forwarding: forwarding)
    }

    static let initial: IPVSTable = [
        web: [backend(11), backend(12, weight: 2), backend(13, weight: 3)],
        dns: [backend(21, port: 53, weight: 0, forwarding: .directRoute), backend(22, port: 53, forwarding: .tunnel)],
    ]

    static let initialRules: Set<String> = [
        "-A -t 10.0.1.254:80 -s sh -b sh-fallback,sh-port",
        "-a -t 10.0.1.254:80 -r 10.0.1.11:8080 -m -w 1",
        "-a -t 10.0.1.254:80 -r 10.0.1.12:8080 -m -w 2",
        "-a -t 10.0.1.254:80 -r 10.0.1.13:8080 -m -w 3",
        "-A -u 10.0.1.253:53 -s mh -p 30 -b mh-fallback,mh-port",
        "-a -u 10.0.1.253:53 -r 10.0.1.21:53 -g -w 0",
        "-a -u 10.0.1.253:53 -r 10.0.1.22:53 -i -w 1 --tun-type ipip",
    ]

    /// Destinations by identity, for comparing tables without depending on kernel order.
    static func destinationSets(_ table: IPVSTable) -> [IPVSService: Set<IPVSDestination>] {
        table.destinations.mapValues(Set.init)
    }

    @Test func ipvsTableIsAppliedAndReadBack() async throws {
        try await IPVSScratchNamespace.run { client, namespace in
            #expect(try client.table().isEmpty)
            let changes = IPVSPlanner.diff(desired: Self.initial, observed: try client.table())
            #expect(changes.count == 7)
            try client.apply(changes)

            #expect(try await IPVSScratchNamespace.ipvsadmRules(in: namespace) == Self.initialRules)
            let observed = try client.table()
            #expect(Self.destinationSets(observed) == Self.destinationSets(Self.initial))
            #expect(try client.services().count == 2)
            #expect(try Set(client.destinations(of: Self.web)) == Set(Self.initial[Self.web] ?? []))
            #expect(IPVSPlanner.diff(desired: Self.initial, observed: observed).isEmpty)
        }
    }

    @Test func ipvsChangedTableSendsOnlyTheDiff() async throws {
        try await IPVSScratchNamespace.run { client, namespace in
            try client.reconcile(to: Self.initial)
            var dns = Self.dns
            dns.flags = .fallback
            dns.timeout = 0
            let mail = IPVSService(.tcp, address: IPv4Address(10, 0, 1, 252), port: 25, scheduler: .maglev)
            let changed: IPVSTable = [
                Self.web: [Self.backend(11), Self.backend(12, weight: 5), Self.backend(14)],
                dns: [Self.backend(21, port: 53, weight: 0, forwarding: .directRoute), Self.backend(22, port: 53, forwarding: .tunnel)],
                mail: [Self.backend(31, port: 25)],
            ]

            let changes = IPVSPlanner.diff(desired: changed, observed: try client.table())
            #expect(changes == [
                .deleteDestination(Self.backend(13, weight: 3), service: Self.web),
                .addService(mail),
                .updateService(dns),
                .addDestination(Self.backend(31, port: 25), service: mail),
                .updateDestination(Self.backend(12, weight: 5), service: Self.web),
                .addDestination(Self.backend(14), service: Self.web),
            ])
            try client.apply(changes)

            #expect(try await IPVSScratchNamespace.ipvsadmRules(in: namespace) == [
                "-A -t 10.0.1.254:80 -s sh -b sh-fallback,sh-port",
                "-a -t 10.0.1.254:80 -r 10.0.1.11:8080 -m -w 1",
                "-a -t 10.0.1.254:80 -r 10.0.1.12:8080 -m -w 5",
                "-a -t 10.0.1.254:80 -r 10.0.1.14:8080 -m -w 1",
                "-A -t 10.0.1.252:25 -s mh",
                "-a -t 10.0.1.252:25 -r 10.0.1.31:25 -m -w 1",
                "-A -u 10.0.1.253:53 -s mh -b mh-fallback",
                "-a -u 10.0.1.253:53 -r 10.0.1.21:53 -g -w 0",
                "-a -u 10.0.1.253:53 -r 10.0.1.22:53 -i -w 1 --tun-type ipip",
            ])
            #expect(IPVSPlanner.diff(desired: changed, observed: try client.table()).isEmpty)

            let teardown = IPVSPlanner.diff(desired: [:], observed: try client.table())
            #expect(teardown == [.deleteService(mail), .deleteService(Self.web), .deleteService(dns)])
            try client.apply(teardown)
            #expect(try client.table().isEmpty)
            #expect(try await IPVSScratchNamespace.ipvsadmRules(in: namespace).isEmpty)
        }
    }

    @Test func ipvsRefusalsNameServiceAndDestination() async throws {
        try await IPVSScratchNamespace.run { client, _ in
            let missing = IPVSService(.tcp, address: IPv4Address(10, 0, 1, 250), port: 443)
            let batch: [IPVSChange] = [
                .addService(Self.web),
                .addService(Self.web),
                .addDestination(Self.backend(11), service: missing),
                .addDestination(Self.backend(11), service: Self.web),
            ]
            let error = try #require(throws: NetlinkBatchError.self) { try client.apply(batch) }
            #expect(error.failures.map(\.errno) == [EEXIST, ESRCH])
            #expect(error.failures.first?.description.hasPrefix("adding service TCP 10.0.1.254:80 (sh fallback,port): EEXIST") == true)
            #expect(error.failures.last?.description.hasPrefix("adding destination 10.0.1.11:8080 to TCP 10.0.1.250:443: ESRCH") == true)
            #expect(try client.table().destinations == [Self.web: [Self.backend(11)]])
        }
    }

    @Test func ipvsFlushEmptiesTheTable() async throws {
        try await IPVSScratchNamespace.run { client, namespace in
            try client.reconcile(to: Self.initial)
            #expect(try !client.table().isEmpty)
            try client.flush()
            #expect(try client.table().isEmpty)
            #expect(try await IPVSScratchNamespace.ipvsadmRules(in: namespace).isEmpty)
        }
    }

    @Test func ipvsTCPTimeoutIsSetAndReadBackPerNamespace() async throws {
        try await IPVSScratchNamespace.run { client, namespace in
            let before = try client.tcpTimeout()
            #expect(before == 900, "IPVS's default TCP timeout")
            try client.apply([.setTCPTimeout(60)])
            let after = try client.tcpTimeout()
            #expect(after == 60)
            try await IPVSScratchNamespace.run { other, _ in
                let untouched = try other.tcpTimeout()
                #expect(untouched == 900)
            }
        }
    }
}
