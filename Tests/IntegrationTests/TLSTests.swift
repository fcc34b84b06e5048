import Foundation
import Orchestrator
import Testing

/// HTTPS listeners end to end: the ALB node terminates TLS with a certificate lbnet's local CA
/// issued, picks the certificate by SNI, keeps to the listener's security policy, and the
/// classic HTTP:80 → HTTPS:443 redirect works; curl and openssl are the witnesses.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct TLSTests {
    static let node = "10.0.1.254"

    static let yaml = """
        certificates:
          - {name: web, domainNames: [www.example.test, "*.example.test"]}
          - {name: api, domainNames: [api.example.test]}
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a}
          - {name: client, subnet: subnet-1a}
        loadBalancers:
          - name: web-alb
            type: application
            scheme: internal
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - protocol: HTTPS
                port: 443
                certificates: [web, api]
                defaultActions: [{type: forward, targetGroupName: web}]
              - protocol: HTTPS
                port: 8443
                sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06
                certificates: [web]
                defaultActions: [{type: forward, targetGroupName: web}]
              - protocol: HTTP
                port: 80
                defaultActions: [{type: redirect, redirectConfig: {protocol: HTTPS, port: "443", statusCode: HTTP_301}}]
        targetGroups:
          - name: web
            protocol: HTTP
            port: 8080
            vpc: main
            healthCheck: {path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2}
            targets: [{id: web-a1}]

        """

    /// The subject of the certificate the listener at `port` presents for `serverName`, without
    /// spaces (`subject=CN=www.example.test`); empty when the handshake fails.
    static func presentedSubject(_ topology: TestTopology, serverName: String, port: Int = 443, extra: String = "") async throws -> String {
        try await topology.exec("client", [
            "sh", "-c",
            "openssl s_client -connect \(node):\(port) -servername \(serverName) \(extra) </dev/null 2>/dev/null | openssl x509 -noout -subject",
        ]).stdout.filter { !$0.isWhitespace }
    }

    @Test func httpsListenerServesTheIssuedCertificateChosenBySNI() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            let up = try await topology.lbnet(["up", "-f", topology.stateFile, "--wait", "--timeout", "60s"])
            #expect(up.status == 0, "\(up.output)")
            let authority = "\(topology.stateDirectory)/ca.pem"
            let key = try FileManager.default.attributesOfItem(atPath: "\(topology.stateDirectory)/ca.key")
            #expect((key[.posixPermissions] as? Int) == 0o600)
            let configurations = try FileManager.default.contentsOfDirectory(atPath: "\(topology.stateDirectory)/alb")
                .filter { $0.hasSuffix(".json") }
            #expect(!configurations.isEmpty)
            for name in configurations {
                let mode = try FileManager.default.attributesOfItem(atPath: "\(topology.stateDirectory)/alb/\(name)")[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(name) holds private keys")
            }

            let curl = try await topology.exec("client", [
                "curl", "-sS", "--cacert", authority, "--resolve", "www.example.test:443:\(Self.node)", "https://www.example.test/",
            ])
            #expect(curl.status == 0, "\(curl.output)")
            let answer = try targetAnswer(curl.stdout)
            #expect(answer["instance"] as? String == "web-a1")
            let forwarded = answer["forwarded"] as? [String: Any]
            #expect(forwarded?["proto"] as? String == "https")
            #expect(forwarded?["port"] as? String == "443")

            // ALPN h2: HTTP/2 to the client, HTTP/1.1 to the target, several streams on one connection.
            let h2 = try await topology.exec("client", [
                "curl", "-sS", "--http2", "--cacert", authority, "--resolve", "www.example.test:443:\(Self.node)",
                "-w", "\n%{http_version}\n", "https://www.example.test/a", "https://www.example.test/b",
            ])
            #expect(h2.status == 0, "\(h2.output)")
            let h2Lines = h2.stdout.split(separator: "\n").map(String.init)
            #expect(h2Lines.filter { $0 == "2" }.count == 2, "\(h2.output)")
            #expect(h2Lines.compactMap { try? targetAnswer($0)["instance"] as? String } == ["web-a1", "web-a1"], "\(h2.output)")
            let http1 = try await topology.exec("client", [
                "curl", "-sS", "--http1.1", "--cacert", authority, "--resolve", "www.example.test:443:\(Self.node)",
                "-o", "/dev/null", "-w", "%{http_version}", "https://www.example.test/",
            ])
            #expect(http1.stdout == "1.1", "\(http1.output)")
            // gRPC over h2 to an HTTP1 target group: AWS's 464 (IncompatibleProtocol), from the node itself.
            let grpc = try await topology.exec("client", [
                "curl", "-sS", "--http2", "--cacert", authority, "--resolve", "www.example.test:443:\(Self.node)",
                "-H", "Content-Type: application/grpc", "-o", "/dev/null", "-w", "%{http_code}", "https://www.example.test/echo.Echo/Say",
            ])
            #expect(grpc.stdout == "464", "\(grpc.output)")
            let logs = try await topology.lbnet(["logs", "web-alb-local-1a"]).stdout.split(separator: "\n")
            #expect(logs.contains { $0.contains("/echo.Echo/Say HTTP/2.0") && $0.contains(" 464 ") && $0.contains("IncompatibleProtocol") },
                    "\(logs)")
            #expect(logs.contains { $0.hasPrefix("h2 ") && $0.contains("https://www.example.test:443/a HTTP/2.0") && $0.contains(" TLSv1.3 ") },
                    "\(logs)")
            #expect(logs.contains { $0.hasPrefix("https ") && $0.contains(" TLSv1.3 ") }, "\(logs)")

            #expect(try await Self.presentedSubject(topology, serverName: "api.example.test").hasSuffix("CN=api.example.test"))
            #expect(try await Self.presentedSubject(topology, serverName: "shop.example.test").hasSuffix("CN=www.example.test"))
            #expect(try await Self.presentedSubject(topology, serverName: "elsewhere.test").hasSuffix("CN=www.example.test"))

            // The TLS 1.3-only policy refuses TLS 1.2 and accepts TLS 1.3.
            #expect(try await Self.presentedSubject(topology, serverName: "www.example.test", port: 8443, extra: "-tls1_2").isEmpty)
            #expect(try await Self.presentedSubject(topology, serverName: "www.example.test", port: 8443, extra: "-tls1_3")
                .hasSuffix("CN=www.example.test"))

            let redirected = try await topology.exec("client", [
                "curl", "-sS", "-L", "--cacert", authority, "--resolve", "www.example.test:443:\(Self.node)",
                "--resolve", "www.example.test:80:\(Self.node)", "-o", "/dev/null", "-w", "%{http_code} %{url_effective}",
                "http://www.example.test/page",
            ])
            #expect(redirected.stdout == "200 https://www.example.test:443/page", "\(redirected.output)")

            let status = try await topology.lbnet(["status"])
            #expect(status.stdout.contains("local CA: \(authority)"), "\(status.stdout)")

            let down = try await topology.lbnet(["down"])
            #expect(down.status == 0, "\(down.output)")
            #expect(FileManager.default.fileExists(atPath: authority), "down keeps the CA")
        }
    }
}

/// HTTPS target groups: the ALB node speaks TLS to its targets and checks their health over
/// HTTPS without verifying their certificates (as AWS does): a target serving a self-signed
/// certificate for a name nobody asked for is healthy and answers.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct HTTPSTargetTests {
    @Test func targetsWithAnyCertificateAreHealthyAndAnswerOverTLS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-https-target-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try await run([
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=wrong.example", "-keyout", "\(directory)/key.pem", "-out", "\(directory)/cert.pem",
        ])
        #expect(made.status == 0, "\(made.output)")
        let yaml = TLSTests.yaml
            .replacingOccurrences(of: "  - {name: web-a1, subnet: subnet-1a}", with: """
                  - {name: web-a1, subnet: subnet-1a, run: [openssl, s_server, -accept, "8443", -www, -cert, \(directory)/cert.pem, -key, \(directory)/key.pem]}
                """)
            .replacingOccurrences(of: "    protocol: HTTP\n    port: 8080", with: "    protocol: HTTPS\n    port: 8443")
        try await TestTopology.with(yaml: yaml) { topology in
            let up = try await topology.lbnet(["up", "-f", topology.stateFile, "--wait", "--timeout", "60s"])
            #expect(up.status == 0, "\(up.output)")
            let status = try await topology.lbnet(["status"])
            let rows = status.stdout.split(separator: "\n").filter { $0.contains("web-a1") && $0.contains("8443") }
            #expect(!rows.isEmpty && rows.allSatisfy { $0.contains("healthy") && !$0.contains("unhealthy") }, "\(status.stdout)")

            let curl = try await topology.exec("client", [
                "curl", "-sS", "--cacert", "\(topology.stateDirectory)/ca.pem", "--resolve", "www.example.test:443:\(TLSTests.node)",
                "https://www.example.test/",
            ])
            #expect(curl.status == 0, "\(curl.output)")
            #expect(curl.stdout.contains("s_server"), "\(curl.stdout)")
        }
    }

    @Test func anInstanceWithTLSServesHTTPSWithACertificateFromTheLocalCA() async throws {
        let yaml = TLSTests.yaml
            .replacingOccurrences(of: "  - {name: web-a1, subnet: subnet-1a}", with: "  - {name: web-a1, subnet: subnet-1a, port: 8443, tls: true}")
            .replacingOccurrences(of: "    protocol: HTTP\n    port: 8080", with: "    protocol: HTTPS\n    port: 8443")
        try await TestTopology.with(yaml: yaml) { topology in
            let up = try await topology.lbnet(["up", "-f", topology.stateFile, "--wait", "--timeout", "60s"])
            #expect(up.status == 0, "\(up.output)")
            // The instance itself: HTTPS with a certificate for its name, issued by lbnet's CA.
            let direct = try await topology.exec("client", [
                "curl", "-sS", "--cacert", "\(topology.stateDirectory)/ca.pem", "--resolve", "web-a1:8443:10.0.1.11", "https://web-a1:8443/",
            ])
            #expect(direct.status == 0, "\(direct.output)")
            #expect(try targetAnswer(direct.stdout)["instance"] as? String == "web-a1")
            let plain = try await topology.exec("client", ["curl", "-sS", "--max-time", "5", "http://10.0.1.11:8443/"])
            #expect(plain.status != 0 || !plain.stdout.contains("web-a1"), "plain HTTP is not served: \(plain.output)")
            // Through the ALB's HTTPS listener to the HTTPS target group (health checks over TLS).
            let curl = try await topology.exec("client", [
                "curl", "-sS", "--cacert", "\(topology.stateDirectory)/ca.pem", "--resolve", "www.example.test:443:\(TLSTests.node)",
                "https://www.example.test/",
            ])
            #expect(curl.status == 0, "\(curl.output)")
            #expect(try targetAnswer(curl.stdout)["instance"] as? String == "web-a1")
            let again = try await topology.lbnet(["up", "-f", topology.stateFile])
            #expect(again.stdout.contains("No changes"), "the certificate is kept, not issued again: \(again.output)")
        }
    }
}

/// `lbnet target --tls`: the built-in target server serves HTTPS with a certificate for its name
/// from the state directory's local CA (made when missing), which curl trusts with `--cacert`.
@Suite struct TargetTLSFlagTests {
    @Test func tlsIssuesACertificateFromTheStateDirectorysCA() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-target-tls-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let port = Int.random(in: 20_000...60_000)
        let silent = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(silent) }
        let server = try ChildProcess([lbnetBinary, "target", "--name", "www.example.test", "--az", "local-1a", "--host", "127.0.0.1",
                                       "--port", "\(port)", "--tls", "--state-dir", state], stdout: silent, stderr: silent)
        try await server.killed {
            // curl waits for the server to listen (connection refused is retried), then checks its certificate.
            let curl = try await run(["curl", "-sS", "--retry", "60", "--retry-connrefused", "--retry-delay", "1", "--max-time", "90",
                                      "--cacert", "\(state)/ca.pem", "--resolve", "www.example.test:\(port):127.0.0.1",
                                      "https://www.example.test:\(port)/"])
            #expect(curl.status == 0, "\(curl.output)")
            #expect(try targetAnswer(curl.stdout)["instance"] as? String == "www.example.test")
        }
        let key = try FileManager.default.attributesOfItem(atPath: "\(state)/certificates/instances/www.example.test.key")
        #expect((key[.posixPermissions] as? Int) == 0o600)
    }
}
