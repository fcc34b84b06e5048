import Foundation
import Testing
@testable import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// A listener with a terminator (an NLB TLS listener) in a real kernel: clients' connections
/// reach the node's own socket, the terminator's marked connections are balanced to a backend.
/// Two throwaway namespaces on a veth pair; python3 sockets are the witnesses.
@Suite(.serialized, .enabled(if: geteuid() == 0, "needs root: creates network namespaces and writes nftables"))
struct NFTablesTerminatedListenerTests {
    static let mark: UInt32 = 0x4c42_01bb

    /// A python3 TCP server on `address:port` in `namespace` that answers `word` to each connection.
    static func answering(_ word: String, on address: String, port: Int, in namespace: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace, "python3", "-c", """
            import socket
            server = socket.socket()
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("\(address)", \(port)))
            server.listen(16)
            while True:
                connection, _ = server.accept()
                connection.sendall(b"\(word)")
                connection.close()
            """]
        // Not the test's own output: a server left behind must not hold it open.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// What a connection from `namespace` to `address:port` receives, its socket marked `mark`.
    static func received(from address: String, port: Int, in namespace: String, mark: UInt32?) async throws -> String {
        try await NFTablesScratch.run(["ip", "netns", "exec", namespace, "python3", "-c", """
            import socket, sys, time
            for attempt in range(50):
                s = socket.socket()
                \(mark.map { "s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, \($0))" } ?? "pass")
                s.settimeout(2)
                try:
                    s.connect(("\(address)", \(port)))
                    sys.stdout.write(s.recv(100).decode())
                    break
                except OSError:
                    time.sleep(0.1)
            """])
    }

    @Test func onlyTheTerminatorsMarkedConnectionsAreBalanced() async throws {
        try await NFTablesScratch.withNamespace { node in
            try await NFTablesScratch.withNamespace { backend in
                try await NFTablesScratch.run(["ip", "link", "add", "lbt0", "netns", node, "type", "veth", "peer", "name", "lbt1", "netns", backend])
                for (namespace, link, address) in [(node, "lbt0", "192.168.77.2/24"), (backend, "lbt1", "192.168.77.3/24")] {
                    try await NFTablesScratch.run(["ip", "-n", namespace, "addr", "add", address, "dev", link])
                    try await NFTablesScratch.run(["ip", "-n", namespace, "link", "set", link, "up"])
                    try await NFTablesScratch.run(["ip", "-n", namespace, "link", "set", "lo", "up"])
                }
                let servers = try [Self.answering("terminator", on: "192.168.77.2", port: 443, in: node),
                                   Self.answering("backend", on: "192.168.77.3", port: 8443, in: backend)]
                // SIGKILL: a child of the test may inherit a signal mask that blocks SIGTERM.
                defer { servers.forEach { kill($0.processIdentifier, SIGKILL) } }

                let client = try NFTablesNetlink.open(inNamespace: node)
                let spec = NLBNodeSpec(address: IPv4Address(192, 168, 77, 2), listeners: [NLBListener(
                    transport: .tcp, port: 443, backends: [NLBBackend(address: IPv4Address(192, 168, 77, 3), port: 8443)],
                    terminatorMark: Self.mark)])
                #expect(try !NLBNodeTable.apply(spec, using: client).batch.isEmpty)
                #expect(try NLBNodeTable.apply(spec, using: client).batch.isEmpty, "the rule reads back as planned")
                let listing = try await NFTablesScratch.ruleset(in: node)
                #expect(listing.contains("meta mark 0x4c4201bb ip daddr 192.168.77.2 tcp dport 443"), "\(listing)")
                #expect(listing.components(separatedBy: "lbnet:dnat tcp 443").count == 2, "one DNAT rule, the output chain's: \(listing)")

                #expect(try await Self.received(from: "192.168.77.2", port: 443, in: node, mark: nil) == "terminator")
                #expect(try await Self.received(from: "192.168.77.2", port: 443, in: node, mark: Self.mark) == "backend")
                #expect(try await Self.received(from: "192.168.77.2", port: 443, in: backend, mark: nil) == "terminator",
                        "a client's connection from outside reaches the terminator")
            }
        }
    }
}
