import Foundation
import Testing
@testable import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// Throwaway namespaces and `nft`/`ip` witnesses for the nftables kernel tests.
enum NFTablesScratch {
    /// Runs `body` with a fresh namespace `lbnet-t<random>` and an nftables client inside it;
    /// the namespace is deleted afterwards, also when `body` fails.
    static func run(_ body: (NFTablesNetlink, String) async throws -> Void) async throws {
        try await withNamespace { name in try await body(NFTablesNetlink.open(inNamespace: name), name) }
    }

    static func withNamespace<T>(_ body: (String) async throws -> T) async throws -> T {
        let name = "lbnet-t" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try NetworkNamespace.create(name)
        defer {
            do { try NetworkNamespace.delete(name) } catch { Issue.record(error, "deleting namespace \(name)") }
        }
        return try await body(name)
    }

    /// `nft list ruleset` in namespace `name`.
    static func ruleset(in name: String) async throws -> String {
        try await run(["ip", "netns", "exec", name, "nft", "list", "ruleset"])
    }

    /// Runs a command (searched in the usual system directories) and returns its output;
    /// a non-zero exit is a test failure. The command runs and is waited for on a thread of
    /// its own, not on the cooperative pool.
    @discardableResult
    static func run(_ arguments: [String]) async throws -> String {
        let executable = try executable(arguments[0])
        let (status, text) = try await onOwnThread { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = Array(arguments.dropFirst())
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        try #require(status == 0, "\(arguments.joined(separator: " ")) failed: \(text)")
        return text
    }

    static func executable(_ name: String) throws -> String {
        let found = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        return try #require(found, "\(name) is not installed")
    }
}

/// nftables tables applied to a real kernel, checked with `nft list ruleset` and read-back.
/// Needs root (namespaces, netlink writes): skipped otherwise.
@Suite(.serialized, .enabled(if: geteuid() == 0, "needs root: creates network namespaces and writes nftables"))
struct NFTablesKernelTests {
    static let node = IPv4Address(192, 168, 77, 2)

    static func backend(_ last: UInt8, weight: UInt32 = 1) -> NLBBackend {
        NLBBackend(address: IPv4Address(192, 168, 78, last), port: 8080, weight: weight)
    }

    static func spec(_ tcp: [NLBBackend], udp: [NLBBackend]? = nil) -> NLBNodeSpec {
        var listeners = [NLBListener(transport: .tcp, port: 80, backends: tcp)]
        if let udp { listeners.append(NLBListener(transport: .udp, port: 53, backends: udp)) }
        return NLBNodeSpec(address: node, listeners: listeners)
    }

    @Test func applyCreatesTheNLBTable() async throws {
        try await NFTablesScratch.run { client, name in
            let spec = Self.spec([Self.backend(11), Self.backend(12)], udp: [Self.backend(13)])
            let result = try NLBNodeTable.apply(spec, using: client)
            #expect(!result.batch.isEmpty)

            let listing = try await NFTablesScratch.ruleset(in: name)
            for expected in [
                "table ip lbnet_nlb {",
                "map backends_tcp_80 {",
                "map backends_udp_53 {",
                "type mark : ipv4_addr . inet_service",
                "type nat hook prerouting priority dstnat; policy accept;",
                "type nat hook output priority -100; policy accept;",
                "type nat hook postrouting priority srcnat; policy accept;",
                "ip daddr 192.168.77.2 tcp dport 80 tcp flags syn / fin,syn,rst,ack counter packets 0 bytes 0 dnat ip to jhash ip saddr . tcp sport mod 256 seed 0x6c626e74 map @backends_tcp_80 comment \"lbnet:dnat tcp 80\"",
                "ip daddr 192.168.77.2 udp dport 53 counter packets 0 bytes 0 dnat ip to jhash ip saddr . udp sport mod 256 seed 0x6c626e74 map @backends_udp_53 comment \"lbnet:dnat udp 53\"",
                "ct status dnat ct original ip daddr 192.168.77.2 meta l4proto tcp ct original proto-dst 80 masquerade comment \"lbnet:masquerade tcp 80\"",
                "ct status dnat ct original ip daddr 192.168.77.2 meta l4proto udp ct original proto-dst 53 masquerade comment \"lbnet:masquerade udp 53\"",
                "type filter hook forward priority filter; policy accept;",
                "ct status dnat counter packets 0 bytes 0 comment \"lbnet:processed bytes\"",
                "ct status dnat ct direction original tcp flags rst counter packets 0 bytes 0 comment \"lbnet:client resets\"",
                "ct status dnat ct direction reply tcp flags rst counter packets 0 bytes 0 comment \"lbnet:target resets\"",
                "0x00000001 : 192.168.78.1",
                "192.168.78.13 . 8080",
            ] {
                #expect(listing.contains(expected), "missing \(expected) in:\n\(listing)")
            }

            let table = try #require(client.readTable(NLBNodeTable.name).table)
            let slots = NLBNodeTable.slotsOf(spec.listeners[0], in: table)
            #expect(slots == SlotTable.fill(backends: spec.listeners[0].backends))
            #expect(slots.count == 256)
            #expect(Set(NLBNodeTable.slotsOf(spec.listeners[1], in: table).values) == [Self.backend(13).endpoint])
            #expect(table.rules.count == 9)
            // The counters the NLB metrics read: one per DNAT rule, and the forward chain's three.
            let counters = try client.ruleCounters(table: NLBNodeTable.name)
            #expect(counters.count == 7 && counters.allSatisfy { $0.packets == 0 && $0.bytes == 0 }, "\(counters)")
            #expect(counters.count { $0.isRule(purposePrefix: NLBNodeTable.dnatPurposePrefix) } == 4)
        }
    }

    @Test func applyingTheSameSpecAgainSendsNothing() async throws {
        try await NFTablesScratch.run { client, _ in
            let spec = Self.spec([Self.backend(11), Self.backend(12)], udp: [Self.backend(13)])
            let first = try NLBNodeTable.apply(spec, using: client)
            let second = try NLBNodeTable.apply(spec, using: client)
            #expect(second.batch.isEmpty)
            #expect(second.generation == first.generation)
            #expect(try client.generation() == first.generation)
        }
    }

    @Test func backendChangesOnlyChangeElements() async throws {
        try await NFTablesScratch.run { client, name in
            let before = Self.spec([Self.backend(11), Self.backend(12)])
            try NLBNodeTable.apply(before, using: client)
            let tableBefore = try #require(client.readTable(NLBNodeTable.name).table)
            let after = Self.spec([Self.backend(11), Self.backend(12), Self.backend(14)])

            let result = try NLBNodeTable.apply(after, using: client)

            #expect(!result.batch.isEmpty && result.batch.changesOnlyElements, "\(result.batch)")
            let tableAfter = try #require(client.readTable(NLBNodeTable.name).table)
            #expect(tableAfter.rules.map(\.handle) == tableBefore.rules.map(\.handle))
            #expect(tableAfter.chains.map(\.handle) == tableBefore.chains.map(\.handle))
            #expect(tableAfter.maps.map(\.handle) == tableBefore.maps.map(\.handle))
            let oldSlots = NLBNodeTable.slotsOf(before.listeners[0], in: tableBefore)
            let newSlots = NLBNodeTable.slotsOf(after.listeners[0], in: tableAfter)
            let moved = oldSlots.keys.filter { oldSlots[$0] != newSlots[$0] }
            #expect(moved.allSatisfy { newSlots[$0] == Self.backend(14).endpoint })
            #expect(moved.count == 85 || moved.count == 86)
            #expect(try await NFTablesScratch.ruleset(in: name).contains("192.168.78.14 . 8080"))
        }
    }

    @Test func removingAListenerDeletesItsRulesBeforeItsMap() async throws {
        try await NFTablesScratch.run { client, name in
            try NLBNodeTable.apply(Self.spec([Self.backend(11)], udp: [Self.backend(13)]), using: client)
            let result = try NLBNodeTable.apply(Self.spec([Self.backend(11)]), using: client)
            #expect(result.batch.operations.count == 4, "\(result.batch)")
            let listing = try await NFTablesScratch.ruleset(in: name)
            #expect(!listing.contains("backends_udp_53"))
            #expect(listing.contains("map backends_tcp_80"))
        }
    }

    @Test func allBackendsAtWeightZeroEmptyTheMap() async throws {
        try await NFTablesScratch.run { client, _ in
            try NLBNodeTable.apply(Self.spec([Self.backend(11)]), using: client)
            let result = try NLBNodeTable.apply(Self.spec([Self.backend(11, weight: 0)]), using: client)
            #expect(result.batch.changesOnlyElements)
            let table = try #require(client.readTable(NLBNodeTable.name).table)
            #expect(table.map("backends_tcp_80")?.elements.isEmpty == true)
        }
    }

    @Test func removeDeletesTheTable() async throws {
        try await NFTablesScratch.run { client, name in
            try NLBNodeTable.apply(Self.spec([Self.backend(11)]), using: client)
            try NLBNodeTable.remove(using: client)
            #expect(try client.readTable(NLBNodeTable.name).table == nil)
            #expect(!(try await NFTablesScratch.ruleset(in: name)).contains("lbnet_nlb"))
            #expect(try NLBNodeTable.remove(using: client).batch.isEmpty)
        }
    }

    @Test func aRefusedBatchChangesNothingAndNamesTheObject() async throws {
        try await NFTablesScratch.run { client, _ in
            let batch = NFTBatch([
                .addTable("lbnet_probe"),
                .addChain(table: "lbnet_probe", NLBNodeTable.chains[0]),
                .deleteMap(table: "lbnet_probe", name: "missing"),
            ])
            let error = #expect(throws: NFTablesError.self) { try client.commit(batch, table: "lbnet_probe", basedOn: nil) }
            guard case .batchRejected(let table, let failures)? = error else {
                Issue.record("expected a rejected batch, got \(String(describing: error))")
                return
            }
            #expect(table == "lbnet_probe")
            #expect(failures.map(\.operation) == ["deleting map lbnet_probe/missing"])
            #expect(failures.first?.errno == ENOENT)
            let probe = try client.readTable("lbnet_probe")
            #expect(probe.table == nil)
        }
    }

    @Test func aBatchPlannedAtAnOldGenerationIsRefused() async throws {
        try await NFTablesScratch.run { client, _ in
            let stale = try client.readTable(NLBNodeTable.name)
            try NLBNodeTable.apply(Self.spec([Self.backend(11)]), using: client)
            let batch = try NLBNodeTable.plan(Self.spec([Self.backend(12)]), current: stale.table)
            let error = #expect(throws: NFTablesError.self) {
                try client.commit(batch, table: NLBNodeTable.name, basedOn: stale.generation)
            }
            #expect(error?.isGenerationMismatch == true, "\(String(describing: error))")
        }
    }

    @Test func gatewayNATMapsElasticIPs() async throws {
        try await NFTablesScratch.run { client, name in
            let first = ElasticIPMapping(elasticIP: IPv4Address(203, 0, 113, 10), privateAddress: IPv4Address(10, 0, 1, 5))
            let second = ElasticIPMapping(elasticIP: IPv4Address(203, 0, 113, 11), privateAddress: IPv4Address(10, 0, 2, 7))
            try GatewayNATTable.apply(ElasticIPNATSpec(internetInterface: "igw0", mappings: [first]), using: client)

            let listing = try await NFTablesScratch.ruleset(in: name)
            for expected in [
                "table ip lbnet_gateway {",
                "map eip_to_private {",
                "map private_to_eip {",
                "type ipv4_addr : ipv4_addr",
                "elements = { 203.0.113.10 : 10.0.1.5 }",
                "elements = { 10.0.1.5 : 203.0.113.10 }",
                "dnat to ip daddr map @eip_to_private comment \"lbnet:dnat elastic ips\"",
                "oifname \"igw0\" snat to ip saddr map @private_to_eip comment \"lbnet:snat elastic ips\"",
            ] {
                #expect(listing.contains(expected), "missing \(expected) in:\n\(listing)")
            }

            let added = try GatewayNATTable.apply(ElasticIPNATSpec(internetInterface: "igw0", mappings: [first, second]), using: client)
            #expect(added.batch.changesOnlyElements && added.batch.operations.count == 2, "\(added.batch)")
            let table = try #require(client.readTable(GatewayNATTable.name).table)
            #expect(GatewayNATTable.mappings(in: table) == [first, second])

            let again = try GatewayNATTable.apply(ElasticIPNATSpec(internetInterface: "igw0", mappings: [first, second]), using: client)
            #expect(again.batch.isEmpty)
        }
    }
}
