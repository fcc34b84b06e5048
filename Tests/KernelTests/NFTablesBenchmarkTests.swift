import CNetlink
import Foundation
import Testing
@testable import Kernel

/// Times lbnet's nftables client against `nft -f` loading the same table (a 10,000-backend
/// map and a jhash DNAT rule over it), then one backend change on top, at two table sizes to
/// show the change does not grow with the table. Runs only with `LBNET_BENCH_NFT=1` (as root):
/// see `scripts/bench-datapath`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["LBNET_BENCH_NFT"] == "1" && geteuid() == 0))
struct NFTablesBenchmark {
    static let table = "lbnet_bench"
    static let map = "backends"
    static let seed: UInt32 = 0x6c62_6e74

    static func backend(_ index: Int) -> (IPv4Address, UInt16) {
        (IPv4Address(10, 128, 0, 0).advanced(by: index), 8080)
    }

    static func spec(backends count: Int, changed: Int? = nil) -> NFTTableSpec {
        var elements: [[UInt8]: [UInt8]] = [:]
        for index in 0..<count {
            let (address, port) = backend(index == changed ? count + index : index)
            elements[NLBNodeTable.slotKey(UInt32(index))] = NLBNodeTable.endpointValue(NLBEndpoint(address: address, port: port))
        }
        let rule = NFTMatch.ipDestination(IPv4Address(10, 0, 0, 1)) + NFTMatch.layer4Protocol(6) + NFTMatch.transportDestinationPort(80)
            + [.payload(.network, offset: NFTMatch.ipv4SourceOffset, length: 4, into: .register(2)),
               .payload(.transport, offset: 0, length: 2, into: .word(5)),
               .jenkinsHash(.register(2), length: 8, modulus: UInt32(count), seed: seed, offset: 0, into: .register(1)),
               .lookup(.register(1), set: map, into: .register(1)),
               .nat(.destination, address: .register(1), port: .word(1), flags: UInt32(NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED))]
        return NFTTableSpec(
            name: table,
            chains: [NFTChainSpec(name: "prerouting", type: .nat, hook: .prerouting, priority: NFTChainSpec.destinationNATPriority)],
            maps: [NFTMapSpec(definition: NFTMapDefinition(name: map, key: NLBNodeTable.mapKey, value: NLBNodeTable.mapValue), elements: elements)],
            rules: [NFTRuleSpec(chain: "prerouting", purpose: "bench dnat", expressions: rule)])
    }

    /// The same table in `nft -f` syntax.
    static func script(backends count: Int) -> String {
        let elements = (0..<count).map { index in
            let (address, port) = backend(index)
            return "\(index) : \(address) . \(port)"
        }.joined(separator: ", ")
        return """
            table ip \(table) {
                map \(map) {
                    typeof jhash ip saddr . tcp sport mod \(count) : ip daddr . tcp dport
                    elements = { \(elements) }
                }
                chain prerouting {
                    type nat hook prerouting priority dstnat; policy accept;
                    ip daddr 10.0.0.1 tcp dport 80 dnat ip to jhash ip saddr . tcp sport mod \(count) seed 0x\(String(seed, radix: 16)) map @\(map)
                }
            }

            """
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
    }

    static func report(_ label: String, _ value: Double) {
        print("bench-nft: \(label): \(String(format: "%.2f", value)) ms")
    }

    /// Runs `body` with a throwaway namespace that is deleted afterwards, even on failure.
    static func withNamespace<T>(_ body: (String) async throws -> T) async throws -> T {
        let name = "lbnet-tbench\(UInt32.random(in: 0...UInt32.max))"
        try NetworkNamespace.create(name)
        defer { try? NetworkNamespace.delete(name) }
        return try await body(name)
    }

    /// Programs `spec` with lbnet, then changes one backend knowing the table it wrote (the
    /// controller's and `up`'s steady state), and once more reading the table back first.
    static func lbnet(backends count: Int) async throws -> (load: Double, change: Double, changeWithReadBack: Double) {
        try await withNamespace { namespace in
            let client = try NFTablesNetlink.open(inNamespace: namespace)
            let clock = ContinuousClock()
            let full = spec(backends: count)
            let load = try clock.measure { try client.reconcile(table: table) { NFTPlanner.plan(full, current: $0) } }
            let written = try #require(try client.readTable(table).table)
            let changed = spec(backends: count, changed: count / 2)
            let batch = NFTPlanner.plan(changed, current: written)
            #expect(batch.changesOnlyElements && !batch.isEmpty)
            let change = try clock.measure { _ = try client.commit(batch, table: table, basedOn: nil) }
            let back = spec(backends: count)
            let changeWithReadBack = try clock.measure { try client.reconcile(table: table) { NFTPlanner.plan(back, current: $0) } }
            return (milliseconds(load), milliseconds(change), milliseconds(changeWithReadBack))
        }
    }

    /// How long `nft -f` takes to load the same table; it runs and is waited for on a thread of
    /// its own, not on the cooperative pool.
    static func nftLoad(backends count: Int) async throws -> Double {
        try await withNamespace { namespace in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(namespace).nft")
            try script(backends: count).write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let (status, duration) = try await onOwnThread { () throws -> (Int32, Duration) in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
                process.arguments = ["netns", "exec", namespace, "nft", "-f", file.path]
                let duration = try ContinuousClock().measure {
                    try process.run()
                    process.waitUntilExit()
                }
                return (process.terminationStatus, duration)
            }
            try #require(status == 0, "nft -f failed")
            return milliseconds(duration)
        }
    }

    @Test func nftablesBenchmarkAgainstNftLoad() async throws {
        let count = 10_000
        let nft = try await Self.nftLoad(backends: count)
        let lbnet = try await Self.lbnet(backends: count)
        let small = try await Self.lbnet(backends: 1_000)
        Self.report("nft -f, \(count)-backend map + jhash rule", nft)
        Self.report("lbnet, same table (read, plan, one batch)", lbnet.load)
        print("bench-nft: ratio lbnet/nft: \(String(format: "%.2f", lbnet.load / nft)) (goal: <= 1)")
        Self.report("lbnet, one backend change on \(count) (known table)", lbnet.change)
        Self.report("lbnet, one backend change on 1000 (known table)", small.change)
        print("bench-nft: ratio change 10000/1000: \(String(format: "%.2f", lbnet.change / small.change)) (O(1): about 1)")
        Self.report("lbnet, one backend change on \(count) with read-back of the table", lbnet.changeWithReadBack)
    }
}
