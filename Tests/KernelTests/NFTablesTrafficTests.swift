import Foundation
import Testing
@testable import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// Real connections through an NLB node table. Three throwaway namespaces joined by veths:
/// a client (192.168.77.1) talks to the node's listener (192.168.77.2:80); the node forwards to
/// two backends (192.168.78.11 and .12 port 8080, one Python process in a backend namespace)
/// that answer with their own address. Traffic stays between these namespaces. Needs root.
@Suite(.serialized, .enabled(if: geteuid() == 0, "needs root: creates network namespaces and writes nftables"))
struct NFTablesTrafficTests {
    /// Accepts on each address given on the command line and answers with that address.
    static let backendScript = """
        import socket, sys, threading
        def serve(address):
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((address, 8080))
            listener.listen(128)
            while True:
                connection, _ = listener.accept()
                connection.sendall(address.encode())
                connection.close()
        for address in sys.argv[1:]:
            threading.Thread(target=serve, args=(address,)).start()
        """

    /// Connects from each source port in `argv[1]...argv[2]` twice (two rounds), reads the
    /// answer, and resets the connection (no TIME_WAIT, so the same port can connect again; the
    /// reset also ends the node's conntrack entry, so the second round is balanced afresh).
    /// Prints `port backend` lines.
    static let clientScript = """
        import socket, struct, sys, time
        def ask(port):
            for attempt in range(100):
                client = socket.socket()
                client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                client.settimeout(2)
                try:
                    client.bind(('192.168.77.1', port))
                    client.connect(('192.168.77.2', 80))
                    answer = b''
                    while True:
                        chunk = client.recv(64)
                        if not chunk:
                            break
                        answer += chunk
                    return answer.decode()
                except OSError:
                    time.sleep(0.05)
                finally:
                    client.close()
            return 'none'
        for round in range(2):
            for port in range(int(sys.argv[1]), int(sys.argv[2])):
                print(port, ask(port), flush=True)
        """

    @Test func flowsSpreadOverBackendsAndStickToTheirSourcePort() async throws {
        try await NFTablesScratch.withNamespace { client in
            try await NFTablesScratch.withNamespace { node in
                try await NFTablesScratch.withNamespace { backends in
                    try await Self.wire(client: client, node: node, backends: backends)
                    let spec = NLBNodeSpec(address: IPv4Address(192, 168, 77, 2), listeners: [
                        NLBListener(transport: .tcp, port: 80, backends: [
                            NLBBackend(address: IPv4Address(192, 168, 78, 11), port: 8080),
                            NLBBackend(address: IPv4Address(192, 168, 78, 12), port: 8080),
                        ]),
                    ])
                    try NLBNodeTable.apply(spec, using: NFTablesNetlink.open(inNamespace: node))

                    let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(backends).log").path
                    let server = try ProcessLauncher.spawn(["python3", "-c", Self.backendScript, "192.168.78.11", "192.168.78.12"],
                                                           namespace: backends, logPath: log)
                    defer {
                        kill(server, SIGKILL)
                        // Reaped on a thread of its own: a defer cannot await, and the pool must not block.
                        Thread.detachNewThread {
                            var status: Int32 = 0
                            waitpid(server, &status, 0)
                        }
                        unlink(log)
                    }

                    try await Self.waitForListeners(in: backends, count: 2)

                    let output = try await NFTablesScratch.run(["ip", "netns", "exec", client, "python3", "-c", Self.clientScript, "40000", "40050"])
                    var answers: [Int: [String]] = [:]
                    for line in output.split(separator: "\n") {
                        let fields = line.split(separator: " ")
                        guard fields.count == 2, let port = Int(fields[0]) else { continue }
                        answers[port, default: []].append(String(fields[1]))
                    }
                    #expect(answers.count == 50, "\(output)")
                    #expect(answers.values.allSatisfy { $0.count == 2 && $0[0] == $0[1] }, "a source port changed backend: \(answers)")
                    let reached = Set(answers.values.flatMap { $0 })
                    #expect(reached == ["192.168.78.11", "192.168.78.12"], "\(answers)")
                    // NAT chains see the first packet of each connection only: 100 means the
                    // second round made new connections rather than reusing tracked ones.
                    let listing = try await NFTablesScratch.ruleset(in: node)
                    #expect(listing.contains("tcp dport 80 tcp flags syn / fin,syn,rst,ack counter packets 100 "), "\(listing)")
                }
            }
        }
    }

    /// Waits (up to 5 s) until `count` TCP sockets listen on port 8080 in `namespace`.
    static func waitForListeners(in namespace: String, count: Int) async throws {
        for _ in 0..<100 {
            let sockets = try await NFTablesScratch.run(["ip", "netns", "exec", namespace, "ss", "-Hltn", "sport = :8080"])
            if sockets.split(separator: "\n").count >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the backends in \(namespace) did not start listening")
    }

    /// client eth0 192.168.77.1/24 <-> node eth0 192.168.77.2/24; node eth1 192.168.78.1/24 <->
    /// backends eth0 192.168.78.11/24 and .12/24, default route via the node. Each veth is
    /// created inside the test's namespaces, never in the host's.
    static func wire(client: String, node: String, backends: String) async throws {
        func ip(_ arguments: String) async throws { try await NFTablesScratch.run(["ip"] + arguments.split(separator: " ").map(String.init)) }
        try await ip("-n \(client) link add eth0 type veth peer name eth0 netns \(node)")
        try await ip("-n \(backends) link add eth0 type veth peer name eth1 netns \(node)")
        try await ip("-n \(client) address add 192.168.77.1/24 dev eth0")
        try await ip("-n \(node) address add 192.168.77.2/24 dev eth0")
        try await ip("-n \(node) address add 192.168.78.1/24 dev eth1")
        try await ip("-n \(backends) address add 192.168.78.11/24 dev eth0")
        try await ip("-n \(backends) address add 192.168.78.12/24 dev eth0")
        for (namespace, links) in [(client, ["lo", "eth0"]), (node, ["lo", "eth0", "eth1"]), (backends, ["lo", "eth0"])] {
            for link in links { try await ip("-n \(namespace) link set \(link) up") }
        }
        try await ip("-n \(backends) route add default via 192.168.78.1")
        try Sysctl.write("net.ipv4.ip_forward", value: "1", in: node)
    }
}
