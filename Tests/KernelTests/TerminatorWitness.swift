import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The witnesses of a terminated listener's datapath (nftables or IPVS): a node and a backend
/// namespace on a veth pair, python3 servers that answer one word, and python3 clients whose
/// sockets may carry a firewall mark, as an NLB TLS terminator's do.
enum TerminatorWitness {
    static let node = "192.168.77.2", backend = "192.168.77.3"

    /// Links `nodeNamespace` (192.168.77.2) and `backendNamespace` (192.168.77.3) with a veth pair.
    static func link(node nodeNamespace: String, backend backendNamespace: String) async throws {
        try await NFTablesScratch.run(["ip", "link", "add", "lbt0", "netns", nodeNamespace, "type", "veth",
                                       "peer", "name", "lbt1", "netns", backendNamespace])
        for (namespace, link, address) in [(nodeNamespace, "lbt0", "\(node)/24"), (backendNamespace, "lbt1", "\(backend)/24")] {
            try await NFTablesScratch.run(["ip", "-n", namespace, "addr", "add", address, "dev", link])
            try await NFTablesScratch.run(["ip", "-n", namespace, "link", "set", link, "up"])
            try await NFTablesScratch.run(["ip", "-n", namespace, "link", "set", "lo", "up"])
        }
    }

    /// A python3 TCP server on `address:port` in `namespace` that answers `word` to each
    /// connection; stop it with ``stop(_:)``.
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

    /// SIGKILL: a child of the test may inherit a signal mask that blocks SIGTERM.
    static func stop(_ servers: [Process]) {
        for server in servers { kill(server.processIdentifier, SIGKILL) }
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
}
