import Foundation
import Testing
@testable import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// A listener with a terminator (an NLB TLS listener) in a real kernel: clients' connections
/// reach the node's own socket, the terminator's marked connections are balanced to a backend.
@Suite(.serialized, .enabled(if: geteuid() == 0, "needs root: creates network namespaces and writes nftables"))
struct NFTablesTerminatedListenerTests {
    static let mark: UInt32 = 0x4c42_01bb

    @Test func onlyTheTerminatorsMarkedConnectionsAreBalanced() async throws {
        try await NFTablesScratch.withNamespace { node in
            try await NFTablesScratch.withNamespace { backend in
                try await TerminatorWitness.link(node: node, backend: backend)
                let servers = try [TerminatorWitness.answering("terminator", on: TerminatorWitness.node, port: 443, in: node),
                                   TerminatorWitness.answering("backend", on: TerminatorWitness.backend, port: 8443, in: backend)]
                defer { TerminatorWitness.stop(servers) }

                let client = try NFTablesNetlink.open(inNamespace: node)
                let spec = NLBNodeSpec(address: IPv4Address(192, 168, 77, 2), listeners: [NLBListener(
                    transport: .tcp, port: 443, backends: [NLBBackend(address: IPv4Address(192, 168, 77, 3), port: 8443)],
                    terminatorMark: Self.mark)])
                #expect(try !NLBNodeTable.apply(spec, using: client).batch.isEmpty)
                #expect(try NLBNodeTable.apply(spec, using: client).batch.isEmpty, "the rule reads back as planned")
                let listing = try await NFTablesScratch.ruleset(in: node)
                #expect(listing.contains("meta mark 0x4c4201bb ip daddr 192.168.77.2 tcp dport 443"), "\(listing)")
                #expect(listing.components(separatedBy: "lbnet:dnat tcp 443").count == 2, "one DNAT rule, the output chain's: \(listing)")

                #expect(try await TerminatorWitness.received(from: TerminatorWitness.node, port: 443, in: node, mark: nil) == "terminator")
                #expect(try await TerminatorWitness.received(from: TerminatorWitness.node, port: 443, in: node, mark: Self.mark) == "backend")
                #expect(try await TerminatorWitness.received(from: TerminatorWitness.node, port: 443, in: backend, mark: nil) == "terminator",
                        "a client's connection from outside reaches the terminator")
            }
        }
    }
}
