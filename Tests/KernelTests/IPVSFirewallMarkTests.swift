import Foundation
import Testing
@testable import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// A firewall-mark service in a real kernel, as an NLB TLS listener's terminator uses it on an
/// IPVS node: clients' connections to the listener's port reach the node's own socket, and the
/// terminator's marked connections, made on the node, are balanced to a backend (IPVS at
/// `LOCAL_OUT`, NAT). Runs in `scripts/vm-test`'s VM.
@Suite(.serialized, .enabled(if: IPVSAvailability.shouldRun))
struct IPVSFirewallMarkTests {
    static let mark: UInt32 = 0x4c42_01bb

    @Test func onlyMarkedLocalConnectionsAreBalanced() async throws {
        try await IPVSScratchNamespace.run { client, node in
            try await NFTablesScratch.withNamespace { backend in
                try await TerminatorWitness.link(node: node, backend: backend)
                let servers = try [TerminatorWitness.answering("terminator", on: TerminatorWitness.node, port: 443, in: node),
                                   TerminatorWitness.answering("backend", on: TerminatorWitness.backend, port: 8443, in: backend)]
                defer { TerminatorWitness.stop(servers) }

                let service = IPVSService(firewallMark: Self.mark, scheduler: .sourceHash, flags: [.fallback, .port])
                let desired = IPVSTable([service: [IPVSDestination(address: IPv4Address(192, 168, 77, 3), port: 8443, weight: 1,
                                                                   forwarding: .masquerade)]])
                #expect(try !client.reconcile(to: desired).isEmpty)
                #expect(try client.table() == desired, "the service reads back as a firewall-mark service")
                #expect(try client.reconcile(to: desired).isEmpty)
                let rules = try await IPVSScratchNamespace.ipvsadmRules(in: node)
                #expect(rules.contains { $0.hasPrefix("-A -f 1279394235 -s sh") }, "\(rules)")

                #expect(try await TerminatorWitness.received(from: TerminatorWitness.node, port: 443, in: node, mark: nil) == "terminator")
                #expect(try await TerminatorWitness.received(from: TerminatorWitness.node, port: 443, in: node, mark: Self.mark) == "backend")
                #expect(try await TerminatorWitness.received(from: TerminatorWitness.node, port: 443, in: backend, mark: nil) == "terminator")
            }
        }
    }
}
