import Foundation
import Orchestrator
import Testing

/// The `certificates` section and HTTPS listeners; sections are appended to `network`, so their
/// first line is line 19.
@Suite struct ValidationCertificateTests {
    static func https(certificates: String, listener: String) -> String {
        network + """
            certificates:
            \(certificates)
            loadBalancers:
              - name: web-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
            \(listener)
            targetGroups:
              - {name: web, protocol: HTTP, port: 8080, vpc: main}

            """
    }

    @Test func anIssuedCertificateServesAnHTTPSListenerWithTheDefaultPolicy() throws {
        let yaml = Self.https(
            certificates: "  - {name: web, domainNames: [www.example.test, \"*.example.test\"]}",
            listener: "      - {protocol: HTTPS, port: 443, certificates: [web], defaultActions: [{type: forward, targetGroupName: web}]}")
        let file = try StateFileLoader.parse(yaml, source: "state.yaml")
        #expect(file.certificates == [StateFile.Certificate(name: "web", domainNames: ["www.example.test", "*.example.test"])])
        #expect(file.loadBalancers[0].listeners[0].certificates == ["web"])
        #expect(file.loadBalancers[0].listeners[0].sslPolicy == nil)
        #expect(try StateFileLoader.parse(StateFileEncoder.yaml(file), source: "export") == file)
    }

    @Test func certificatesAndListenersAreCheckedNamingTheField() {
        let yaml = Self.https(
            certificates: """
              - {name: web}
              - {name: api, domainNames: [Bad_Name.test]}
              - {name: rel, certificateFile: api.pem, privateKeyFile: /nonexistent/api.key}
            """,
            listener: """
                  - {protocol: HTTPS, port: 443, sslPolicy: ELBSecurityPolicy-Nope, certificates: [webb], defaultActions: [{type: forward, targetGroupName: web}]}
                  - {protocol: HTTPS, port: 8443, defaultActions: [{type: forward, targetGroupName: web}]}
                  - {protocol: HTTP, port: 80, certificates: [web], defaultActions: [{type: forward, targetGroupName: web}]}
            """)
        let issues = issueDescriptions(yaml)
        #expect(issues.contains("state.yaml:20: certificates[0]: a certificate needs domainNames (issued by lbnet's CA) or certificateFile and privateKeyFile (imported)"))
        #expect(issues.contains("state.yaml:21: certificates[1].domainNames[0]: 'Bad_Name.test' is not a domain name (lowercase DNS labels, an optional leading '*.')"))
        #expect(issues.contains("state.yaml:22: certificates[2].certificateFile: 'api.pem' is not an absolute path"))
        #expect(issues.contains { $0.hasPrefix("state.yaml:28: loadBalancers[0].listeners[0].sslPolicy: unknown security policy 'ELBSecurityPolicy-Nope'; lbnet implements ELBSecurityPolicy-TLS13-1-2-2021-06") })
        #expect(issues.contains("state.yaml:28: loadBalancers[0].listeners[0].certificates[0]: unknown certificate 'webb' (did you mean 'web'?)"))
        #expect(issues.contains("state.yaml:29: loadBalancers[0].listeners[1].certificates: an HTTPS listener needs at least one certificate (the first is the default)"))
        #expect(issues.contains("state.yaml:30: loadBalancers[0].listeners[2].certificates: only HTTPS and TLS listeners have certificates"))
    }

    /// NLB TLS listeners are served (by the node's terminator): their certificates and security
    /// policy are checked as an HTTPS listener's, their ALPN policy is one of AWS's, and their
    /// idle timeout is AWS's fixed 350 seconds.
    @Test func tlsListenersAreCheckedLikeHTTPSOnesWithAnALPNPolicy() {
        let yaml = network + """
            certificates:
              - {name: web, domainNames: [www.example.test]}
            loadBalancers:
              - name: web-nlb
                type: network
                subnets: [subnet-1a]
                listeners:
                  - {protocol: TLS, port: 443, certificates: [web], alpnPolicy: HTTP2Preferred, defaultActions: [{type: forward, targetGroupName: tcp}]}
                  - {protocol: TLS, port: 8443, alpnPolicy: HTTP3, defaultActions: [{type: forward, targetGroupName: secure}]}
                  - {protocol: TCP, port: 80, alpnPolicy: None, defaultActions: [{type: forward, targetGroupName: tcp}]}
                  - protocol: TLS
                    port: 9443
                    certificates: [web]
                    attributes: {tcp.idle_timeout.seconds: "600"}
                    defaultActions: [{type: forward, targetGroupName: tcp}]
            targetGroups:
              - {name: tcp, protocol: TCP, port: 8080, vpc: main}
              - {name: secure, protocol: TLS, port: 8443, vpc: main}

            """
        let issues = issueDescriptions(yaml)
        #expect(issues.contains("state.yaml:27: loadBalancers[0].listeners[1].alpnPolicy: unknown ALPN policy 'HTTP3'; AWS's are HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred, None"), "\(issues)")
        #expect(issues.contains("state.yaml:27: loadBalancers[0].listeners[1].certificates: a TLS listener needs at least one certificate (the first is the default)"), "\(issues)")
        #expect(issues.contains("state.yaml:28: loadBalancers[0].listeners[2].alpnPolicy: only TLS listeners have an ALPN policy"), "\(issues)")
        #expect(issues.contains { $0.contains("listeners[3].attributes[\"tcp.idle_timeout.seconds\"]: Listener attribute key 'tcp.idle_timeout.seconds' is not supported on TLS listeners") }, "\(issues)")
        #expect(!issues.contains { $0.contains("listeners[0]") }, "the first listener is valid: \(issues)")
        #expect(issues.count == 4, "\(issues)")
    }

    @Test func importedFilesAreCheckedForAMatchingKeyAndValidity() throws {
        let directory = try TemporaryDirectory()
        let authority = try LocalCertificateAuthority.loadOrCreate(in: StateDirectory(path: directory.path))
        let good = try authority.issue(domainNames: ["api.example.test"])
        let other = try authority.issue(domainNames: ["other.example.test"])
        let expired = try authority.issue(domainNames: ["old.example.test"], now: Date().addingTimeInterval(-800 * 86_400))
        let write = { (name: String, text: String) throws -> String in
            let path = "\(directory.path)/\(name)"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let certificate = try write("api.pem", good.certificateChainPEM())
        let key = try write("api.key", good.privateKeyPEM())
        let otherKey = try write("other.key", other.privateKeyPEM())
        let expiredCertificate = try write("old.pem", expired.certificateChainPEM())
        let expiredKey = try write("old.key", expired.privateKeyPEM())
        let chain = try write("chain.pem", String(contentsOfFile: LocalCertificateAuthority.certificatePath(in: StateDirectory(path: directory.path)), encoding: .utf8))

        let imported = StateFile.Certificate(name: "api", certificateFile: certificate, privateKeyFile: key, chainFile: chain)
        let loaded = try ImportedCertificateFiles.load(imported)
        #expect(loaded.domainNames == ["api.example.test"])
        #expect(loaded.chain.count == 1)
        #expect(throws: CertificateError.self) {
            try ImportedCertificateFiles.load(StateFile.Certificate(name: "api", certificateFile: certificate, privateKeyFile: otherKey))
        }
        do {
            _ = try ImportedCertificateFiles.load(StateFile.Certificate(name: "old", certificateFile: expiredCertificate, privateKeyFile: expiredKey))
            Issue.record("an expired certificate was accepted")
        } catch {
            #expect(error.field == "certificateFile")
            #expect(error.message.hasPrefix("the certificate expired on"))
        }
        let yaml = Self.https(
            certificates: "  - {name: api, certificateFile: \(certificate), privateKeyFile: \(otherKey)}",
            listener: "      - {protocol: HTTPS, port: 443, certificates: [api], defaultActions: [{type: forward, targetGroupName: web}]}")
        #expect(issueDescriptions(yaml) == ["state.yaml:20: certificates[0].privateKeyFile: the key does not match the certificate's public key"])
    }
}

/// A directory under the system's temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "lbnet-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
