import Foundation
import Orchestrator
import Testing

/// NLB `TLS` listeners end to end, on each datapath: the node's terminator answers the client's
/// handshake with the listener's certificate and ALPN policy, and the node's datapath balances
/// the terminator's connections by the zone rules, to a `TCP` target group (plain bytes) and to
/// a `TLS` one (TLS again, to targets whose certificates nobody verifies), from the client's
/// address (AWS's default for `instance` targets: the terminator's relay is transparent, and the
/// targets' security group lets internet clients in). curl and openssl
/// s_client from the `internet` namespace are the witnesses, through both Elastic IPs.
extension NLBScenario {
    static let certificateName = "www.example.test"
    /// The firewall mark of the terminator's connections for port 443 (`0x4c4201bb`), as
    /// `ipvsadm -Ln` prints a firewall-mark service.
    static let markOf443 = 0x4c42_01bb

    var tlsYAML: String {
        """
        \(Self.twoZoneNetwork.replacingOccurrences(of: "instances:\n", with: """
            instances:
              - {name: tls-a1, subnet: subnet-1a, port: 8443, tls: true}
              - {name: tls-b1, subnet: subnet-1b, port: 8443, tls: true}

            """).replacingOccurrences(of: "    ingress:\n", with: """
                ingress:
                  - {ipProtocol: tcp, fromPort: 8443, toPort: 8443, cidrIp: 0.0.0.0/0}

            """))
        certificates:
          - {name: web, domainNames: [www.example.test]}
        loadBalancers:
          - name: nlb
            type: network
            scheme: internet-facing
            datapath: \(datapath)
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - {protocol: TLS, port: 443, certificates: [web], alpnPolicy: HTTP2Preferred, defaultActions: [{type: forward, targetGroupName: web}]}
              - {protocol: TLS, port: 8443, certificates: [web], sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06, defaultActions: [{type: forward, targetGroupName: secure}]}
              - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: plain}]}
        targetGroups:
          - {name: web, protocol: TCP, port: 8080, vpc: main, targets: [{id: web-a1}, {id: web-a2}, {id: web-b1}, {id: web-b2}]}
          - {name: secure, protocol: TLS, port: 8443, vpc: main, targets: [{id: tls-a1}, {id: tls-b1}]}
          - {name: plain, protocol: TCP, port: 8080, vpc: main, targets: [{id: web-a1}]}

        """
    }

    /// The instances that answered `count` HTTPS requests to `address`:`port` from the
    /// `internet` namespace, each on a new connection ("-" for a failed one). The client offers
    /// only `http/1.1`: the targets speak HTTP/1.1, and the node relays whatever the client
    /// negotiated (an `h2` client would send them HTTP/2, as on AWS).
    func httpsInstances(_ topology: TestTopology, _ address: String, port: Int = 443, count: Int) async throws -> [String] {
        let url = "https://\(Self.certificateName):\(port)/"
        let result = try await topology.exec("internet", [
            "curl", "-sS", "--http1.1", "-H", "Connection: close", "--max-time", "10", "--cacert", "\(topology.stateDirectory)/ca.pem",
            "--resolve", "\(Self.certificateName):\(port):\(address)", "-w", "\n",
        ] + Array(repeating: url, count: count))
        return result.stdout.split(separator: "\n").map { (try? targetAnswer(String($0))["instance"] as? String) ?? "-" }
    }

    func tlsListenerTerminatesAndBalancesByZone() async throws {
        try await TestTopology.with { topology in
            try await up(topology, tlsYAML)

            let before = try await MetricsScenario.scrape(topology)
            let a = try await httpsInstances(topology, Self.elasticIPA, count: 12)
            let b = try await httpsInstances(topology, Self.elasticIPB, count: 12)
            // Each terminated connection is one flow of its zone's node (the terminator's, balanced by the kernel).
            let after = try await MetricsScenario.scrape(topology)
            for zone in ["local-1a", "local-1b"] {
                let key = MetricsScenario.key("NewFlowCount", [
                    "LoadBalancer": AWSIdentity().loadBalancerResource("nlb", type: .network), "AvailabilityZone": zone])
                #expect(after[key].map { $0 - (before[key] ?? 0) } == 12, "NewFlowCount \(zone): \(before[key] ?? -1) -> \(after[key] ?? -1)")
            }
            #expect(a.count == 12 && Set(a).isSubset(of: ["web-a1", "web-a2"]), "AZ a's Elastic IP: \(a)")
            #expect(b.count == 12 && Set(b).isSubset(of: ["web-b1", "web-b2"]), "AZ b's Elastic IP: \(b)")
            #expect(Set(a + b).count == 4, "every target of the zones answered: \(a) \(b)")

            // A TLS target group: TLS again from the node to targets with certificates nobody verifies.
            #expect(Set(try await httpsInstances(topology, Self.elasticIPA, port: 8443, count: 3)) == ["tls-a1"])
            let client = try await topology.exec("internet", [
                "curl", "-sS", "--max-time", "10", "--cacert", "\(topology.stateDirectory)/ca.pem",
                "--resolve", "\(Self.certificateName):8443:\(Self.elasticIPA)", "https://\(Self.certificateName):8443/"])
            #expect((try? targetAnswer(client.stdout)["client"] as? String)?.hasPrefix(ClientAddressScenario.internetClient + ":") == true,
                    "the TLS target sees the internet client: \(client.output)")
            #expect(Set(try await httpsInstances(topology, Self.elasticIPB, port: 8443, count: 3)) == ["tls-b1"])

            // The certificate, the ALPN policy (HTTP2Preferred picks h2; port 8443 has None), the
            // security policies' minimum versions.
            let handshake = { (port: Int, options: String) async throws -> String in
                try await topology.exec("internet", ["sh", "-c",
                    "openssl s_client -connect \(Self.elasticIPA):\(port) -servername \(Self.certificateName) \(options) </dev/null 2>&1"]).stdout
            }
            let h2 = try await handshake(443, "-alpn h2,http/1.1")
            #expect(h2.contains("ALPN protocol: h2"), "\(h2)")
            #expect(h2.contains("CN=www.example.test") || h2.contains("CN = www.example.test"), "\(h2)")
            let none = try await handshake(8443, "-alpn h2,http/1.1")
            #expect(none.contains("No ALPN negotiated"), "\(none)")
            let tls12 = try await handshake(443, "-tls1_2")
            #expect(tls12.contains("New, TLSv1.2"), "the default policy takes TLS 1.2: \(tls12)")
            let refused = try await handshake(8443, "-tls1_2")
            #expect(!refused.contains("New, TLSv1.2"), "the TLS 1.3-only policy refuses TLS 1.2: \(refused)")

            // The datapath balances only the terminator's marked connections.
            let state = try await datapathState(topology)
            if datapath == "ipvs" {
                #expect(state.split(separator: "\n").contains { $0.hasPrefix("FWM") && $0.contains("\(Self.markOf443)") }, "\(state)")
                #expect(!state.contains("10.0.1.254:443"), "\(state)")
            } else {
                #expect(state.contains("meta mark 0x4c4201bb"), "\(state)")
            }
            #expect(Set(try await answers(topology, Self.elasticIPA, count: 3).keys) == ["web-a1"], "the TCP listener beside them")

            let status = try await topology.lbnet(["status"])
            #expect(status.stdout.contains("TLS:443"), "\(status.stdout)")
            #expect(status.stdout.contains("TERMINATOR"), "\(status.stdout)")
            #expect(status.stdout.components(separatedBy: ", loaded").count - 1 >= 2, "both nodes' terminators serve their files: \(status.stdout)")

            #expect(try await topology.lbnet(["down"]).status == 0)
            #expect(try await topology.namespaces().isEmpty)
        }
    }
}
