import Foundation
import Testing

/// The scenario with TLS (`docs/examples/tls/scenario.yaml`, the README's): the NLB passes TLS
/// through on TCP:443 to its `alb` target group, the ALB's HTTPS:443 listener terminates it with
/// a certificate of lbnet's CA, and HTTP:80 takes the same path to be redirected. curl from the
/// `internet` namespace through both Elastic IPs is the witness.
struct TLSScenario {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/examples/tls/scenario.yaml").path

    func answersThroughBothElasticIPs() async throws {
        let yaml = try String(contentsOfFile: Self.file, encoding: .utf8)
        try await TestTopology.with(yaml: yaml) { topology in
            let up = try await topology.lbnet(["up", "-f", topology.stateFile, "--wait", "--timeout", "120s"])
            #expect(up.status == 0, "\(up.output)")
            let authority = "\(topology.stateDirectory)/ca.pem"
            for (elasticIP, zone) in [(NLBScenario.elasticIPA, "a"), (NLBScenario.elasticIPB, "b")] {
                let answers = try await (0..<4).asyncCompactMap { _ in
                    let curl = try await topology.exec("internet", [
                        "curl", "-sS", "--max-time", "10", "--cacert", authority,
                        "--resolve", "www.example.test:443:\(elasticIP)", "https://www.example.test/",
                    ])
                    return try? targetAnswer(curl.stdout)
                }
                #expect(answers.count == 4, "HTTPS through \(elasticIP)")
                #expect(answers.allSatisfy { ($0["instance"] as? String)?.hasPrefix("web-\(zone)") == true }, "\(answers)")
                #expect(answers.allSatisfy { (($0["forwarded"] as? [String: Any])?["proto"] as? String) == "https" }, "\(answers)")
                #expect(answers.allSatisfy { (($0["via"] as? [String])?.last) == "web-alb-local-1\(zone)" }, "\(answers)")

                let redirect = try await topology.exec("internet", [
                    "curl", "-sS", "--max-time", "10", "-L", "--cacert", authority,
                    "--resolve", "www.example.test:80:\(elasticIP)", "--resolve", "www.example.test:443:\(elasticIP)",
                    "-o", "/dev/null", "-w", "%{http_code} %{num_redirects} %{url_effective}", "http://www.example.test/page",
                ])
                #expect(redirect.stdout == "200 1 https://www.example.test:443/page", "\(redirect.output)")
            }
        }
    }
}

/// The TLS scenario on this host (the NLB on nftables).
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct TLSScenarioTests {
    @Test func tlsScenarioAnswersThroughBothElasticIPs() async throws {
        try await TLSScenario().answersThroughBothElasticIPs()
    }
}

/// The TLS scenario in the VM, where `datapath: auto` makes the NLB IPVS.
@Suite(.serialized, .enabled(if: isRoot && (NLBScenario.ipvsPresent || NLBScenario.ipvsRequired),
                             "needs root and a kernel with IPVS; scripts/vm-test runs these in a VM"))
struct TLSScenarioIPVSTests {
    @Test func tlsScenarioAnswersThroughBothElasticIPsOnIPVS() async throws {
        try await TLSScenario().answersThroughBothElasticIPs()
    }
}
