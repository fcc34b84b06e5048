import Foundation
import Testing
@testable import Kernel

/// Times lbnet's IPVS client against `ipvsadm -R` on the same table (1,000 services x 10
/// destinations), then one destination change on top of it. Runs only with
/// `LBNET_BENCH_IPVS=1`, inside the VM: see `scripts/bench-ipvs`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["LBNET_BENCH_IPVS"] == "1"))
struct IPVSBenchmark {
    static let serviceCount = 1_000
    static let destinationsPerService = 10

    static let table: IPVSTable = {
        var destinations: [IPVSService: [IPVSDestination]] = [:]
        for index in 0..<serviceCount {
            let service = IPVSService(.tcp, address: IPv4Address(10, 1, 0, 0).advanced(by: index), port: 80,
                                      scheduler: .sourceHash, flags: [.fallback, .port])
            destinations[service] = (0..<destinationsPerService).map { slot in
                IPVSDestination(address: IPv4Address(10, 2, 0, 0).advanced(by: index * destinationsPerService + slot),
                                port: 8080, weight: UInt32(slot + 1))
            }
        }
        return IPVSTable(destinations)
    }()

    /// The same table as `ipvsadm -R` input.
    static var restoreScript: String {
        table.services.flatMap { service in
            ["-A -t \(service.address):\(service.port) -s sh -b sh-fallback,sh-port"]
                + (table[service] ?? []).map { "-a -t \(service.address):\(service.port) -r \($0) -m -w \($0.weight)" }
        }.joined(separator: "\n") + "\n"
    }

    static func report(_ label: String, _ duration: Duration) {
        print("bench-ipvs: \(label): \(milliseconds(duration)) ms")
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1e3)
    }

    /// How long `ipvsadm -R` takes to load `script`; it runs and is waited for on a thread of
    /// its own, not on the cooperative pool.
    static func ipvsadmRestore(in namespace: String, script: String) async throws -> Duration {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("\(namespace).ipvsadm")
        try script.write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let ip = try IPVSScratchNamespace.executable("ip"), ipvsadm = try IPVSScratchNamespace.executable("ipvsadm")
        let (status, duration) = try await onOwnThread { () throws -> (Int32, Duration) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ip)
            process.arguments = ["netns", "exec", namespace, ipvsadm, "-R"]
            process.standardInput = try FileHandle(forReadingFrom: input)
            let duration = try ContinuousClock().measure {
                try process.run()
                process.waitUntilExit()
            }
            return (process.terminationStatus, duration)
        }
        try #require(status == 0, "ipvsadm -R failed in \(namespace)")
        return duration
    }

    @Test func ipvsBenchmarkAgainstIpvsadmRestore() async throws {
        let table = Self.table
        let script = Self.restoreScript
        print("bench-ipvs: \(Self.serviceCount) services x \(Self.destinationsPerService) destinations")
        try await IPVSScratchNamespace.run { client, _ in
            var changes: [IPVSChange] = []
            let lbnet = try ContinuousClock().measure {
                changes = IPVSPlanner.diff(desired: table, observed: try client.table())
                try client.apply(changes)
            }
            #expect(changes.count == Self.serviceCount * (1 + Self.destinationsPerService))

            try await IPVSScratchNamespace.run { witness, witnessNamespace in
                let ipvsadm = try await Self.ipvsadmRestore(in: witnessNamespace, script: script)
                #expect(IPVSPlanner.diff(desired: table, observed: try witness.table()).isEmpty)
                Self.report("lbnet dump + diff + apply (\(changes.count) changes)", lbnet)
                Self.report("ipvsadm -R", ipvsadm)
                print("bench-ipvs: ipvsadm / lbnet = \(String(format: "%.2f", ipvsadm / lbnet))")
            }

            var read = IPVSTable()
            let dump = try ContinuousClock().measure { read = try client.table() }
            #expect(IPVSPlanner.diff(desired: table, observed: read).isEmpty)
            Self.report("lbnet full dump (1 + \(Self.serviceCount) dumps)", dump)

            var desired = table.destinations
            let service = table.services[0]
            desired[service]?[0].weight = 0
            let changed = IPVSTable(desired)
            var single: [IPVSChange] = []
            let reconcile = try ContinuousClock().measure {
                single = IPVSPlanner.diff(desired: changed, observed: try client.table())
                try client.apply(single)
            }
            #expect(single.count == 1)
            Self.report("one destination change: dump + diff + apply", reconcile)

            var restored: [IPVSChange] = []
            let applyOnly = try ContinuousClock().measure {
                restored = IPVSPlanner.diff(desired: table, observed: changed)
                try client.apply(restored)
            }
            #expect(restored.count == 1)
            Self.report("one destination change: diff against the known table + apply", applyOnly)
            try client.flush()
        }
    }
}
