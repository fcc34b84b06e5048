import Foundation
import Testing

@testable import L7Proxy

/// A TLS listener (an NLB node's TLS terminator) on loopback: curl and openssl s_client are the
/// clients, the built-in target server is behind the relay.
@Suite(.serialized) struct TLSRelayTests {
    /// A self-signed ECDSA certificate for 127.0.0.1 (PEM chain, PEM key, the chain's file),
    /// made by openssl in `directory`.
    static func certificate(in directory: String) async throws -> (chain: String, key: String, file: String) {
        let made = try await WitnessCommand.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=relay.test", "-addext", "subjectAltName=DNS:relay.test,IP:127.0.0.1",
            "-keyout", "\(directory)/key.pem", "-out", "\(directory)/cert.pem",
        ])
        #expect(made.status == 0, "\(made.output)")
        return (try String(contentsOfFile: "\(directory)/cert.pem", encoding: .utf8),
                try String(contentsOfFile: "\(directory)/key.pem", encoding: .utf8), "\(directory)/cert.pem")
    }

    /// A proxy whose one listener is TLS on a free port, relayed to `relayPort` on loopback.
    static func withRelay(
        to relayPort: Int, sslPolicy: String? = nil, alpnPolicy: ALPNPolicy? = nil, targetTLS: Bool = false, proxyProtocol: Bool = false,
        _ body: (_ port: Int, _ caFile: String) async throws -> Void
    ) async throws {
        let directory = NSTemporaryDirectory() + "lbnet-relay-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try await certificate(in: directory)
        var harness = ProxyHarness()
        var configuration = ProxyHarness.configuration(targetPorts: [])
        configuration.certificates = [ProxyCertificate(name: "relay", domainNames: ["relay.test"],
                                                       certificateChain: certificate.chain, privateKey: certificate.key)]
        configuration.listeners = [ListenerConfiguration(
            address: "127.0.0.1", port: 0, protocol: .tls, defaultActions: [], sslPolicy: sslPolicy, certificates: ["relay"],
            alpnPolicy: alpnPolicy, relay: RelayConfiguration(address: "127.0.0.1", port: relayPort, targetTLS: targetTLS,
                                                      proxyProtocol: proxyProtocol))]
        try await harness.startProxy(configuration)
        do {
            try await body(harness.proxyPort, certificate.file)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    /// The built-in target server over TLS (a certificate of its own) on a free port of 127.0.0.1.
    static func withTLSTarget(_ body: (_ port: Int) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "lbnet-relay-target-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try await certificate(in: directory)
        let target = try await TargetServer(
            configuration: .init(instanceName: "tls-target", availabilityZone: "az-a", host: "127.0.0.1", port: 0),
            tls: TargetServer.tlsContext(certificateChainFile: certificate.file, privateKeyFile: "\(directory)/key.pem")).bind()
        defer { Task { await target.close() } }
        try await body(try #require(target.localAddress.port))
    }

    @Test func curlReachesTheTargetThroughTheTerminatorBothWaysInBulk() async throws {
        var targets = ProxyHarness()
        let ports = try await targets.startTargets(["relayed"])
        defer { Task { [targets] in await targets.shutdown() } }
        try await Self.withRelay(to: ports[0]) { port, ca in
            let url = "https://127.0.0.1:\(port)"
            #expect(try await WitnessCommand.curl(["-sS", "--max-time", "10", "--cacert", ca, "\(url)/health"]) == "ok")
            // 3 MB down and 2 MB up, more than either side's buffers hold: the relay waits on the slower side.
            let download = try await WitnessCommand.curl(["-sS", "--max-time", "20", "--cacert", ca, "-o", "/dev/null",
                                                          "-w", "%{size_download}", "\(url)/bytes/3000000"])
            #expect(download == "3000000")
            let body = NSTemporaryDirectory() + "lbnet-relay-upload-\(UUID().uuidString)"
            try Data(repeating: UInt8(ascii: "u"), count: 2_000_000).write(to: URL(fileURLWithPath: body))
            defer { try? FileManager.default.removeItem(atPath: body) }
            let upload = try await WitnessCommand.curl(["-sS", "--max-time", "20", "--cacert", ca, "--data-binary", "@\(body)",
                                                        "\(url)/bytes/2"])
            #expect(upload == "xx")
        }
    }

    @Test func theALPNPolicyDecidesWhatIsNegotiated() async throws {
        var targets = ProxyHarness()
        let ports = try await targets.startTargets(["relayed"])
        defer { Task { [targets] in await targets.shutdown() } }
        let expected: [(ALPNPolicy?, String)] = [
            (.http2Preferred, "ALPN protocol: h2"), (.http2Optional, "ALPN protocol: http/1.1"),
            (.http1Only, "ALPN protocol: http/1.1"), (.http2Only, "ALPN protocol: h2"), (nil, "No ALPN negotiated"),
        ]
        for (policy, line) in expected {
            try await Self.withRelay(to: ports[0], alpnPolicy: policy) { port, _ in
                let result = try await WitnessCommand.run("/usr/bin/openssl", [
                    "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "relay.test", "-alpn", "http/1.1,h2",
                ])
                #expect(result.output.contains(line), "\(String(describing: policy)): \(result.output)")
            }
        }
    }

    @Test func aVersionBelowThePolicysMinimumIsRefused() async throws {
        var targets = ProxyHarness()
        let ports = try await targets.startTargets(["relayed"])
        defer { Task { [targets] in await targets.shutdown() } }
        try await Self.withRelay(to: ports[0], sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06") { port, _ in
            let old = try await WitnessCommand.run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2"])
            #expect(old.status != 0)
            #expect(old.output.contains("alert protocol version"), "\(old.output)")
            let current = try await WitnessCommand.run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_3"])
            #expect(current.output.contains("TLSv1.3"), "\(current.output)")
        }
    }

    /// A `TLS` target group: the relay speaks TLS to the target and offers it the protocol the
    /// client negotiated, as AWS does; the target server says which HTTP version reached it.
    @Test func aTLSTargetIsOfferedTheClientsProtocol() async throws {
        try await Self.withTLSTarget { targetPort in
            try await Self.withRelay(to: targetPort, alpnPolicy: .http2Preferred, targetTLS: true) { port, ca in
                let url = "https://127.0.0.1:\(port)/x"
                for (option, version) in [("--http2", "HTTP/2.0"), ("--http1.1", "HTTP/1.1")] {
                    let answer = try await WitnessCommand.curl(["-sS", "--max-time", "10", option, "--cacert", ca, url])
                    #expect(HTTP2TargetGroupTests.versions(answer) == [version], "\(option): \(answer)")
                }
            }
        }
    }

    /// Proxy protocol toward a `TLS` target group: the header comes first, in the clear, then
    /// the target's own TLS session, as AWS sends it.
    @Test func aTLSTargetGetsTheProxyProtocolHeaderBeforeItsHandshake() async throws {
        try await Self.withTLSTarget { targetPort in
            try await Self.withRelay(to: targetPort, targetTLS: true, proxyProtocol: true) { port, ca in
                let answer = try await WitnessCommand.curl(["-sS", "--max-time", "10", "--cacert", ca, "-w", "\n%{local_port}",
                                                            "https://127.0.0.1:\(port)/pp"])
                let (body, clientPort) = try ProxyProtocolRelayTests.split(answer)
                let echo = try JSONDecoder().decode(TargetEcho.self, from: Data(body.utf8))
                #expect(echo.proxyProtocol == .init(command: "PROXY", source: "127.0.0.1:\(clientPort)",
                                                    destination: "127.0.0.1:\(port)"))
            }
        }
    }

    @Test func aRelayThatDoesNotAnswerClosesTheClientsConnection() async throws {
        // A port nothing listens on: the handshake completes, then the connection is closed.
        var nothing = ProxyHarness()
        let ports = try await nothing.startTargets(["gone"])
        await nothing.shutdown()
        try await Self.withRelay(to: ports[0]) { port, ca in
            let result = try await WitnessCommand.run("/usr/bin/curl", ["-sS", "--max-time", "10", "--cacert", ca, "https://127.0.0.1:\(port)/health"])
            #expect(result.status != 0 && result.status != 28, "\(result.status): \(result.output)")
        }
    }
}

@Suite struct RelayConfigurationTests {
    func problems(_ listener: ListenerConfiguration) -> [String] {
        var configuration = ProxyHarness.configuration(targetPorts: [8080])
        configuration.certificates = [ProxyCertificate(name: "relay", domainNames: ["relay.test"], certificateChain: "", privateKey: "")]
        configuration.listeners = [listener]
        return configuration.problems
    }

    @Test func aTLSListenerNeedsARelayAndCertificatesAndHasNoActions() {
        let bare = ListenerConfiguration(address: "127.0.0.1", port: 443, protocol: .tls,
                                         defaultActions: [.forward([WeightedTargetGroup(name: "web")])])
        #expect(problems(bare) == [
            "listeners[0].defaultActions: a TLS listener relays connections: it has no actions",
            "listeners[0].certificates: TLS listeners need a default certificate",
            "listeners[0].relay: a TLS listener needs a relay",
        ])
        let wrongRelay = ListenerConfiguration(address: "127.0.0.1", port: 443, protocol: .tls, defaultActions: [],
                                               certificates: ["relay"], relay: RelayConfiguration(address: "::1", port: 0))
        #expect(problems(wrongRelay) == [
            "listeners[0].relay.address: \"::1\" is not an IPv4 address", "listeners[0].relay.port: 0 is outside 1-65535",
        ])
    }

    @Test func aTCPListenerNeedsARelayAndHasNoCertificates() {
        let bare = ListenerConfiguration(address: "127.0.0.1", port: 9000, protocol: .tcp, defaultActions: [], certificates: ["relay"])
        #expect(problems(bare) == [
            "listeners[0].certificates: only HTTPS and TLS listeners have certificates",
            "listeners[0].relay: a TCP listener needs a relay",
        ])
        let relayed = ListenerConfiguration(address: "127.0.0.1", port: 9000, protocol: .tcp, defaultActions: [],
                                            relay: RelayConfiguration(address: "127.0.0.1", port: 80, proxyProtocol: true,
                                                                      vpcEndpoints: ["100.65.0.1": "vpce-1", "nowhere": "vpce-2"]))
        #expect(problems(relayed) == ["listeners[0].relay.vpcEndpoints: \"nowhere\" is not an IPv4 address"])
    }

    @Test func onlyTLSListenersHaveAnALPNPolicyOrARelay() {
        let http = ListenerConfiguration(address: "127.0.0.1", port: 80, defaultActions: [.forward([WeightedTargetGroup(name: "web")])],
                                         alpnPolicy: .http2Preferred, relay: RelayConfiguration(address: "127.0.0.1", port: 80))
        #expect(problems(http) == [
            "listeners[0].alpnPolicy: only TLS listeners have an ALPN policy",
            "listeners[0].relay: only TLS and TCP listeners relay connections",
        ])
    }
}
