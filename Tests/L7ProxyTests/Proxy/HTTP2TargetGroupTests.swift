import Foundation
import NIOCore
import Testing

@testable import L7Proxy

/// Target groups of protocol version `HTTP2`: the node forwards HTTP/2 clients' requests to
/// their targets in HTTP/2 (cleartext with prior knowledge for `HTTP` groups, TLS with ALPN `h2`
/// for `HTTPS` ones), several on one connection, and answers HTTP/1 requests with AWS's 464.
/// curl is the client; the built-in target server says which HTTP version it was spoken to in.
@Suite(.serialized) struct HTTP2TargetGroupTests {
    /// The HTTP version the built-in target server reports in each answer of `output` (one per line).
    static func versions(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            (try? JSONDecoder().decode(TargetEcho.self, from: Data(line.utf8)))?.httpVersion
        }
    }

    @Test func theTargetServerSpeaksHTTP2WithPriorKnowledgeAndByALPN() async throws {
        let directory = NSTemporaryDirectory() + "lbnet-h2-target-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try await TLSRelayTests.certificate(in: directory)
        let plain = try await TargetServer(configuration: .init(instanceName: "plain", availabilityZone: "az-a", host: "127.0.0.1", port: 0)).bind()
        let secure = try await TargetServer(
            configuration: .init(instanceName: "secure", availabilityZone: "az-a", host: "127.0.0.1", port: 0),
            tls: TargetServer.tlsContext(certificateChainFile: certificate.file, privateKeyFile: "\(directory)/key.pem")).bind()
        defer { Task { await plain.close(); await secure.close() } }
        let plainURL = "http://127.0.0.1:\(plain.localAddress.port!)/x"
        let secureURL = "https://127.0.0.1:\(secure.localAddress.port!)/x"
        // One URL: curl 7.88 fails to reuse a prior-knowledge connection (the proxy's test below sends several streams on one).
        #expect(Self.versions(try await WitnessCommand.curl(["-sS", "--http2-prior-knowledge", plainURL])) == ["HTTP/2.0"])
        #expect(Self.versions(try await WitnessCommand.curl(["-sS", plainURL])) == ["HTTP/1.1"])
        #expect(Self.versions(try await WitnessCommand.curl(["-sS", "--http2", "--cacert", certificate.file, secureURL])) == ["HTTP/2.0"])
        #expect(Self.versions(try await WitnessCommand.curl(["-sS", "--http1.1", "--cacert", certificate.file, secureURL])) == ["HTTP/1.1"])
    }

    /// An HTTPS listener in front of an `HTTP2` group of the given protocol.
    static func withProxy(groupTLS: Bool, _ body: (_ url: String, _ caFile: String) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "lbnet-h2-group-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try await TLSRelayTests.certificate(in: directory)
        let target = try await TargetServer(
            configuration: .init(instanceName: "h2-target", availabilityZone: "az-a", host: "127.0.0.1", port: 0),
            tls: groupTLS ? TargetServer.tlsContext(certificateChainFile: certificate.file, privateKeyFile: "\(directory)/key.pem") : nil
        ).bind()
        var harness = ProxyHarness()
        var configuration = ProxyHarness.configuration(targetPorts: [target.localAddress.port!])
        configuration.targetGroups[0].protocolVersion = .http2
        configuration.targetGroups[0].protocol = groupTLS ? .https : .http
        configuration.certificates = [ProxyCertificate(name: "web", domainNames: ["relay.test"],
                                                       certificateChain: certificate.chain, privateKey: certificate.key)]
        configuration.listeners[0].protocol = .https
        configuration.listeners[0].sslPolicy = SSLPolicy.defaultName
        configuration.listeners[0].certificates = ["web"]
        try await harness.startProxy(configuration)
        do {
            try await body("https://127.0.0.1:\(harness.proxyPort)", certificate.file)
        } catch {
            await harness.shutdown()
            await target.close()
            throw error
        }
        await harness.shutdown()
        await target.close()
    }

    @Test(arguments: [false, true])
    func http2ClientsReachTheTargetsInHTTP2AndHTTP1ClientsGet464(groupTLS: Bool) async throws {
        try await Self.withProxy(groupTLS: groupTLS) { url, ca in
            let answers = try await WitnessCommand.curl(["-sS", "--http2", "--cacert", ca, "\(url)/a", "\(url)/b", "\(url)/c"])
            #expect(Self.versions(answers) == ["HTTP/2.0", "HTTP/2.0", "HTTP/2.0"], "\(answers)")
            let body = try await WitnessCommand.curl(["-sS", "--http2", "--cacert", ca, "-o", "/dev/null", "-w", "%{size_download}",
                                                      "\(url)/bytes/300000"])
            #expect(body == "300000")
            let refused = try await WitnessCommand.curl(["-sS", "--http1.1", "--cacert", ca, "-o", "/dev/null", "-w", "%{http_code}",
                                                         "\(url)/a"])
            #expect(refused == "464")
        }
    }
}
