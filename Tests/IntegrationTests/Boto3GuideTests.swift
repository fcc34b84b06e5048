import Foundation
import Testing

/// boto3 as a client of lbnet's AWS API: docs/examples/boto3/guide.py builds the guide's
/// topology from nothing (VPC, subnets, security groups, instances, ALB, `alb` target group,
/// NLB with Elastic IPs), waiting with boto3's own waiters; both Elastic IPs answer from
/// `internet` through NLB -> ALB -> instance; `--delete` leaves nothing behind.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct Boto3GuideTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/examples/boto3/guide.py").path

    @Test func theGuideScriptBuildsAWorkingPathAndDeletesIt() async throws {
        try await TestTopology.with(yaml: "{}") { topology in
            #expect(try await topology.up().status == 0)
            let built = try await AWSAPIEndpointTests.aws(topology, ["python3", Self.script], timeout: 300)
            try #require(built.status == 0, "\(built.output)")
            let addresses = built.stdout.split(separator: "\n").map(String.init)
            #expect(addresses.count == 2, "\(built.output)")
            for address in addresses {
                // The waiters saw both target groups in service: the first request is answered.
                let answer = try await topology.exec("internet", ["curl", "-sS", "--max-time", "10", "http://\(address)/"])
                let json = try? targetAnswer(answer.stdout)
                #expect((json?["instance"] as? String)?.hasPrefix("i-") == true, "\(address): \(answer.output)")
            }
            let deleted = try await AWSAPIEndpointTests.aws(topology, ["python3", Self.script, "--delete"], timeout: 300)
            #expect(deleted.status == 0, "\(deleted.output)")
            let left = try await topology.leftAfterTeardown()
            #expect(left == nil, "left after --delete: \(left ?? "")")
        }
    }
}
