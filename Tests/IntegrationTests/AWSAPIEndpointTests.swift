import Foundation
import Orchestrator
import Testing

/// The AWS API of a running topology, driven by the clients users have: the awscli and boto3
/// (scripts/install-test-clients installs them). Describe calls show the real objects and the
/// real target health; unsigned, wrongly signed and replayed requests are refused.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct AWSAPIEndpointTests {
    /// The topology's API endpoint, as `status --json` names it.
    static func endpoint(_ topology: TestTopology) async throws -> String {
        let status = try await topology.lbnet(["status", "--json"])
        let report = try JSONDecoder().decode(StatusReport.self, from: Data(status.stdout.utf8))
        let api = try #require(report.daemon?.endpoints["api"], "no api endpoint in status: \(status.output)")
        return String(try #require(api.split(separator: " ").first))
    }

    /// Runs `command` with the topology's credentials and endpoint in the environment.
    static func aws(_ topology: TestTopology, _ command: [String], secret: String? = nil) async throws -> CommandResult {
        let exports = try await topology.lbnet(["credentials"]).stdout
        var environment: [String] = []
        for line in exports.split(separator: "\n") where line.hasPrefix("export ") {
            var assignment = String(line.dropFirst("export ".count))
            if let secret, assignment.hasPrefix("AWS_SECRET_ACCESS_KEY=") { assignment = "AWS_SECRET_ACCESS_KEY=\(secret)" }
            environment.append(assignment)
        }
        environment.append("AWS_ENDPOINT_URL=\(try await endpoint(topology))")
        return try await run(["env"] + environment + command)
    }

    @Test func describeCallsShowTheRealTopologyToAWSCLIAndBoto3() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.lbnet(["up", "--wait", "--timeout", "90s"])
            #expect(up.status == 0, "\(up.output)")
            let identity = try await Self.aws(topology, ["aws", "sts", "get-caller-identity", "--query", "Account", "--output", "text"])
            #expect(identity.stdout.trimmingCharacters(in: .whitespacesAndNewlines).count == 12, "\(identity.output)")
            let balancers = try await Self.aws(topology, ["aws", "elbv2", "describe-load-balancers", "--query",
                "LoadBalancers[].[LoadBalancerName,Type,State.Code,join(',',AvailabilityZones[].LoadBalancerAddresses[].IpAddress)]",
                "--output", "text"])
            #expect(balancers.stdout.contains("web-nlb\tnetwork\tactive\t198.51.100.10,198.51.100.11"), "\(balancers.output)")
            #expect(balancers.stdout.contains("web-alb\tapplication\tactive"), "\(balancers.output)")
            // boto3: every registered instance is healthy, as the ALB nodes' checks found.
            let script = """
                import boto3
                elb = boto3.client("elbv2")
                group = elb.describe_target_groups(Names=["web-instances"])["TargetGroups"][0]
                assert group["HealthCheckPath"] == "/health" and group["HealthCheckIntervalSeconds"] == 5, group
                health = elb.describe_target_health(TargetGroupArn=group["TargetGroupArn"])["TargetHealthDescriptions"]
                print(sorted(d["TargetHealth"]["State"] for d in health))
                vpcs = boto3.client("ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["main"]}])["Vpcs"]
                print(vpcs[0]["CidrBlock"], len(vpcs))
                """
            let boto = try await Self.aws(topology, ["python3", "-c", script])
            #expect(boto.stdout == "['healthy', 'healthy', 'healthy', 'healthy']\n10.0.0.0/16 1\n", "\(boto.output)")
            let refused = try await Self.aws(topology, ["aws", "elbv2", "create-load-balancer", "--name", "x", "--subnets", "s"])
            #expect(refused.stderr.contains("(InvalidAction)") && refused.stderr.contains("CreateLoadBalancer"), "\(refused.output)")
        }
    }

    @Test func unsignedWronglySignedAndReplayedRequestsAreRefused() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.up(useFile: false)
            #expect(up.status == 0, "\(up.output)")
            let endpoint = try await Self.endpoint(topology)
            let unsigned = try await run(["curl", "-s", "-w", "\n%{http_code}", "-d", "Action=DescribeLoadBalancers&Version=2015-12-01", endpoint])
            #expect(unsigned.stdout.contains("<Code>MissingAuthenticationToken</Code>") && unsigned.stdout.hasSuffix("403"), "\(unsigned.output)")
            let wrong = try await Self.aws(topology, ["aws", "elbv2", "describe-load-balancers"], secret: "0000000000000000000000000000000000000000")
            #expect(wrong.status != 0 && wrong.stderr.contains("(SignatureDoesNotMatch)"), "\(wrong.output)")
            // Signed correctly, but 20 minutes ago: a replay.
            let replay = """
                import datetime, botocore.auth, boto3
                real = botocore.auth.get_current_datetime
                botocore.auth.get_current_datetime = lambda *a, **k: real(*a, **k) - datetime.timedelta(minutes=20)
                try:
                    boto3.client("elbv2").describe_load_balancers()
                except Exception as error:
                    print(error)
                """
            let replayed = try await Self.aws(topology, ["python3", "-c", replay])
            #expect(replayed.stdout.contains("SignatureDoesNotMatch") && replayed.stdout.contains("Signature expired"), "\(replayed.output)")
            let keyFile = "\(topology.stateDirectory)/api-credentials.json"
            var info = stat()
            #expect(stat(keyFile, &info) == 0 && info.st_mode & 0o777 == 0o600, "the key file is not root's alone")
        }
    }

    @Test func identitiesStayTheSameAcrossDaemonRestarts() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.up(useFile: false)
            #expect(up.status == 0, "\(up.output)")
            let query = ["aws", "elbv2", "describe-load-balancers", "--query", "LoadBalancers[].LoadBalancerArn", "--output", "text"]
            let before = try await Self.aws(topology, query)
            let status = try JSONDecoder().decode(StatusReport.self, from: Data(try await topology.lbnet(["status", "--json"]).stdout.utf8))
            let pid = try #require(status.daemon?.pid)
            kill(pid, SIGTERM)
            #expect(try await eventually(timeout: 30) { kill(pid, 0) != 0 })
            #expect(try await topology.up(useFile: false).status == 0)
            let after = try await Self.aws(topology, query)
            #expect(before.status == 0 && before.stdout.contains("loadbalancer/net/web-nlb/"), "\(before.output)")
            #expect(after.stdout == before.stdout, "\(before.stdout) became \(after.stdout)")
        }
    }
}
