import Foundation
import Testing

import Orchestrator

/// The scenario lbnet exists for, end to end: the default topology (internet-facing NLB with
/// an Elastic IP per AZ, an `alb` target group, an internal ALB, instances), reached from the
/// `internet` namespace through both Elastic IPs.
struct ALBBehindNLBScenario {
    /// The path of one request: the ALB node (`via`), the client the ALB saw and put in
    /// X-Forwarded-For (the NLB preserves the internet client's address for its `alb` targets),
    /// and the instance.
    struct Path: Hashable {
        let instance: String
        let albNode: String
        let forwardedFor: String
    }

    static func path(_ topology: TestTopology, _ elasticIP: String) async throws -> Path? {
        let result = try await topology.exec("internet", ["curl", "-sS", "--max-time", "10", "http://\(elasticIP)/"])
        guard result.status == 0, let json = try? targetAnswer(result.stdout),
              let instance = json["instance"] as? String, let via = json["via"] as? [String],
              let forwarded = json["forwarded"] as? [String: Any], let xff = forwarded["for"] as? String else { return nil }
        return Path(instance: instance, albNode: via.last ?? "", forwardedFor: xff)
    }

    func defaultScenarioAnswersThroughBothElasticIPs() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.up(useFile: false)
            #expect(up.status == 0, "\(up.output)")
            for (elasticIP, az) in [(NLBScenario.elasticIPA, "local-1a"), (NLBScenario.elasticIPB, "local-1b")] {
                let paths = try await (0..<6).asyncCompactMap { _ in try await Self.path(topology, elasticIP) }
                #expect(paths.count == 6, "requests to \(elasticIP) failed")
                #expect(paths.allSatisfy { $0.albNode == "web-alb-\(az)" && $0.forwardedFor == ClientAddressScenario.internetClient }, "\(paths)")
                // Cross-zone is off in the NLB and the ALB's target group alike: each AZ serves its own.
                #expect(paths.allSatisfy { $0.instance.hasPrefix(az == "local-1a" ? "web-a" : "web-b") }, "\(paths)")
            }
            let status = try await topology.lbnet(["status"]).stdout
            for text in ["web-nlb-local-1a", "198.51.100.10", "10.0.1.253:80", "web-alb-local-1b", "web-instances", "web-b2"] {
                #expect(status.contains(text), "status lacks \(text):\n\(status)")
            }
        }
    }
}

/// The scenario on this host (the NLB on nftables).
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct ScenarioTests {
    @Test func defaultScenarioAnswersThroughBothElasticIPs() async throws {
        try await ALBBehindNLBScenario().defaultScenarioAnswersThroughBothElasticIPs()
    }

    /// `lb_cookie` stickiness on the ALB's group: curl with a cookie jar in `internet` stays on
    /// one instance through the NLB and the ALB; without the jar, requests spread.
    @Test func aStickySessionThroughNLBAndALBStaysOnOneInstance() async throws {
        let yaml = StateFileLoader.defaultTopologyYAML.replacingOccurrences(
            of: "load_balancing.cross_zone.enabled: \"false\"",
            with: "load_balancing.cross_zone.enabled: \"false\"\n      stickiness.enabled: \"true\"\n"
                + "      stickiness.lb_cookie.duration_seconds: \"600\"")
        #expect(yaml.contains("stickiness.enabled"))
        try await TestTopology.with(yaml: yaml) { topology in
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            let jar = "/tmp/lbnet-sticky-\(UUID().uuidString).jar"
            defer { try? FileManager.default.removeItem(atPath: jar) }
            func instance(jar: String?) async throws -> String? {
                let result = try await topology.exec("internet", ["curl", "-sS", "--max-time", "10"]
                    + (jar.map { ["-c", $0, "-b", $0] } ?? []) + ["http://\(NLBScenario.elasticIPA)/"])
                return (try? targetAnswer(result.stdout))?["instance"] as? String
            }
            let sticky = try await (0..<8).asyncCompactMap { _ in try await instance(jar: jar) }
            #expect(sticky.count == 8)
            #expect(Set(sticky).count == 1, "\(sticky)")
            #expect((try? String(contentsOfFile: jar, encoding: .utf8))?.contains("\tAWSALB\t") == true)
            let spread = try await (0..<8).asyncCompactMap { _ in try await instance(jar: nil) }
            #expect(Set(spread).count == 2, "\(spread)")
        }
    }
}

/// The scenario in the VM, where `datapath: auto` makes the NLB IPVS.
@Suite(.serialized, .enabled(if: isRoot && (NLBScenario.ipvsPresent || NLBScenario.ipvsRequired),
                             "needs root and a kernel with IPVS; scripts/vm-test runs these in a VM"))
struct ScenarioIPVSTests {
    @Test func defaultScenarioAnswersThroughBothElasticIPsOnIPVS() async throws {
        try await ALBBehindNLBScenario().defaultScenarioAnswersThroughBothElasticIPs()
    }
}
