import Foundation
import Orchestrator
import Testing

/// Load balancer names resolve inside lbnet's namespaces, as AWS's DNS resolves them: with the
/// default topology up, `lbnet exec` commands (glibc's resolver via getent, and curl) find the
/// internet-facing NLB's Elastic IPs from `internet` and the internal ALB's node addresses from
/// an instance, whose own workload has the same resolver configuration; an unknown load balancer
/// name does not resolve.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct DNSTests {
    @Test func loadBalancerNamesResolveFromInternetAndFromInstances() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.up(useFile: false)
            try #require(up.status == 0, "\(up.output)")
            let file = try StateFileLoader.parse(StateFileLoader.defaultTopologyYAML, source: "default")
            let nlb = AWSIdentity().dnsName(try #require(file.loadBalancers.first { $0.name == "web-nlb" }))
            let alb = AWSIdentity().dnsName(try #require(file.loadBalancers.first { $0.name == "web-alb" }))

            let status = try await topology.lbnet(["status"]).stdout
            #expect(status.contains(nlb) && status.contains(alb), "status does not name the load balancers' DNS names:\n\(status)")
            let fromInternet = try await topology.exec("internet", ["getent", "ahostsv4", nlb])
            let internetAddresses = Set(fromInternet.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
            #expect(internetAddresses == [NLBScenario.elasticIPA, NLBScenario.elasticIPB], "\(fromInternet.output)")
            let answered = try await eventually(timeout: 30) {
                let curl = try await topology.exec("internet", ["curl", "-sS", "--max-time", "5", "http://\(nlb)/"])
                return (try? targetAnswer(curl.stdout))?["instance"] != nil
            }
            #expect(answered, "no answer from http://\(nlb)/")

            let fromInstance = try await topology.exec("web-a1", ["getent", "ahostsv4", alb])
            let instanceAddresses = Set(fromInstance.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
            #expect(instanceAddresses.count == 2 && instanceAddresses.allSatisfy { $0.hasPrefix("10.0.") }, "\(fromInstance.output)")
            let viaALB = try await topology.exec("web-a1", ["curl", "-sS", "--max-time", "5", "http://\(alb)/"])
            #expect((try? targetAnswer(viaALB.stdout))?["instance"] != nil, "\(viaALB.output)")

            // The instance's own workload (lbnet's target server) asks the same answerer: its
            // mount namespace (seen through /proc) has the resolver configuration, the host's does not.
            let pid = try #require(try await topology.pid(of: "web-a1"))
            let workloadResolver = try String(contentsOfFile: "/proc/\(pid)/root/etc/resolv.conf", encoding: .utf8)
            #expect(workloadResolver.contains("nameserver 10.0.1.1\n"), "\(workloadResolver)")
            let hostResolver = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
            #expect(!hostResolver.contains("lbnet"), "the host's /etc/resolv.conf was changed: \(hostResolver)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(topology.stateDirectory)/logs")
                .allSatisfy { !$0.hasSuffix(".resolv.conf") }, "a resolver file was left beside the logs")

            let unknown = try await topology.exec("internet", ["getent", "ahostsv4", "gone-0123456789abcdef.elb.us-east-1.amazonaws.com"])
            #expect(unknown.status == 2 && unknown.stdout.isEmpty, "\(unknown.output)")
        }
    }
}
