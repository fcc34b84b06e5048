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
    static func aws(_ topology: TestTopology, _ command: [String], secret: String? = nil, timeout: TimeInterval = 120) async throws -> CommandResult {
        let exports = try await topology.lbnet(["credentials"]).stdout
        var environment: [String] = []
        for line in exports.split(separator: "\n") where line.hasPrefix("export ") {
            var assignment = String(line.dropFirst("export ".count))
            if let secret, assignment.hasPrefix("AWS_SECRET_ACCESS_KEY=") { assignment = "AWS_SECRET_ACCESS_KEY=\(secret)" }
            environment.append(assignment)
        }
        environment.append("AWS_ENDPOINT_URL=\(try await endpoint(topology))")
        return try await run(["env"] + environment + command, timeout: timeout)
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
            let tags = try await Self.aws(topology, ["bash", "-c", """
                aws elbv2 describe-tags --resource-arns $(aws elbv2 describe-load-balancers --names web-alb \\
                  --query 'LoadBalancers[0].LoadBalancerArn' --output text) --query 'length(TagDescriptions[0].Tags)'
                """])
            #expect(tags.stdout == "0\n", "\(tags.output)")
            let refused = try await Self.aws(topology, ["aws", "elbv2", "describe-trust-stores"])
            #expect(refused.stderr.contains("(InvalidAction)") && refused.stderr.contains("DescribeTrustStores"), "\(refused.output)")
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
            // Tags set through awscli are kept across the restart too.
            let nlb = "$(aws elbv2 describe-load-balancers --names web-nlb --query 'LoadBalancers[0].LoadBalancerArn' --output text)"
            let vpc = "$(aws ec2 describe-vpcs --filters Name=tag:Name,Values=main --query 'Vpcs[0].VpcId' --output text)"
            let tagged = try await Self.aws(topology, ["bash", "-ec", """
                aws elbv2 add-tags --resource-arns \(nlb) --tags Key=env,Value=prod Key=team,Value=net
                aws elbv2 remove-tags --resource-arns \(nlb) --tag-keys team
                aws ec2 create-tags --resources \(vpc) --tags Key=team,Value=net
                """])
            #expect(tagged.status == 0, "\(tagged.output)")
            let refused = try await Self.aws(topology, ["bash", "-c", "aws elbv2 add-tags --resource-arns \(nlb) --tags Key=aws:x,Value=y"])
            #expect(refused.status != 0 && refused.stderr.contains("(ValidationError)"), "\(refused.output)")
            let status = try JSONDecoder().decode(StatusReport.self, from: Data(try await topology.lbnet(["status", "--json"]).stdout.utf8))
            let pid = try #require(status.daemon?.pid)
            kill(pid, SIGTERM)
            #expect(try await eventually(timeout: 30) { kill(pid, 0) != 0 })
            #expect(try await topology.up(useFile: false).status == 0)
            let after = try await Self.aws(topology, query)
            #expect(before.status == 0 && before.stdout.contains("loadbalancer/net/web-nlb/"), "\(before.output)")
            #expect(after.stdout == before.stdout, "\(before.stdout) became \(after.stdout)")
            let tags = try await Self.aws(topology, ["bash", "-ec", """
                aws elbv2 describe-tags --resource-arns \(nlb) --query 'TagDescriptions[0].Tags[].[Key,Value]' --output text
                aws ec2 describe-vpcs --filters Name=tag:team,Values=net --query 'Vpcs[0].Tags[].[Key,Value]' --output text | LC_ALL=C sort
                """])
            #expect(tags.stdout == "env\tprod\nName\tmain\nteam\tnet\n", "\(tags.output)")
        }
    }

    /// The AWS CLI steps of the "Application Load Balancers as targets" guide, on a network the
    /// state file made: the ALB, its target group and listener, the `alb` target group with the
    /// ALB registered, the NLB and its TCP listener; then a request through an Elastic IP takes
    /// the whole path. Refusals change nothing.
    @Test func theGuideStepsBuildAWorkingPathThroughNLBAndALB() async throws {
        let network = """
            vpcs:
              - {name: main, cidr: 10.0.0.0/16, subnets: [{name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}, {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}]}
            instances: [{name: web-a1, subnet: subnet-1a}, {name: web-b1, subnet: subnet-1b}]
            securityGroups: [{name: default, vpc: main, ingress: [{ipProtocol: "-1", cidrIp: 10.0.0.0/16}, {ipProtocol: tcp, fromPort: 80, toPort: 80, cidrIp: 0.0.0.0/0}]}]
            """
        try await TestTopology.with(yaml: network) { topology in
            #expect(try await topology.up().status == 0)
            let steps = """
                set -e
                subnets=$(aws ec2 describe-subnets --query 'Subnets[].SubnetId' --output text)
                vpc=$(aws ec2 describe-vpcs --query 'Vpcs[0].VpcId' --output text)
                alb=$(aws elbv2 create-load-balancer --name web-alb --type application --scheme internal --subnets $subnets \
                  --query 'LoadBalancers[0].LoadBalancerArn' --output text)
                tg=$(aws elbv2 create-target-group --name web-instances --protocol HTTP --port 8080 --vpc-id $vpc \
                  --health-check-path /health --health-check-interval-seconds 5 --health-check-timeout-seconds 2 \
                  --healthy-threshold-count 2 --query 'TargetGroups[0].TargetGroupArn' --output text)
                aws elbv2 register-targets --target-group-arn $tg \
                  --targets $(aws ec2 describe-instances --query 'Reservations[].Instances[].InstanceId' --output text | tr '\t' '\n' | sed 's/^/Id=/')
                aws elbv2 create-listener --load-balancer-arn $alb --protocol HTTP --port 80 \
                  --default-actions Type=forward,TargetGroupArn=$tg >/dev/null
                albtg=$(aws elbv2 create-target-group --name web-alb-target --target-type alb --protocol TCP --port 80 --vpc-id $vpc \
                  --health-check-interval-seconds 5 --health-check-timeout-seconds 2 --healthy-threshold-count 2 \
                  --query 'TargetGroups[0].TargetGroupArn' --output text)
                aws elbv2 register-targets --target-group-arn $albtg --targets Id=$alb
                nlb=$(aws elbv2 create-load-balancer --name web-nlb --type network --subnets $subnets \
                  --query 'LoadBalancers[0].LoadBalancerArn' --output text)
                aws elbv2 create-listener --load-balancer-arn $nlb --protocol TCP --port 80 \
                  --default-actions Type=forward,TargetGroupArn=$albtg >/dev/null
                aws elbv2 describe-load-balancers --names web-nlb --query 'LoadBalancers[0].AvailabilityZones[].LoadBalancerAddresses[].IpAddress' --output text
                aws ec2 create-vpc-endpoint-service-configuration --network-load-balancer-arns $nlb --no-acceptance-required \
                  --query 'ServiceConfiguration.ServiceName' --output text
                """
            let built = try await Self.aws(topology, ["bash", "-c", steps])
            #expect(built.status == 0, "\(built.output)")
            let words = built.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
            #expect(words.prefix(2) == [NLBScenario.elasticIPA, NLBScenario.elasticIPB], "\(built.output)")
            #expect(words.last?.hasPrefix("com.amazonaws.vpce.us-east-1.vpce-svc-") == true, "\(built.output)")
            // Calls return once accepted; the daemon reconciles in the background.
            let shown = try await eventually(timeout: 30) { try await topology.lbnet(["status"]).stdout.contains("web-nlb") }
            #expect(shown, "status does not show web-nlb")
            let answered = try await eventually(timeout: 30) {
                try await ALBBehindNLBScenario.path(topology, NLBScenario.elasticIPA) != nil
            }
            #expect(answered, "no answer through \(NLBScenario.elasticIPA)")
            // Rules keep their ARN through a new priority; attributes restated at their value change nothing.
            let rules = """
                set -e
                listener=$(aws elbv2 describe-listeners --load-balancer-arn $(aws elbv2 describe-load-balancers --names web-alb \
                  --query 'LoadBalancers[0].LoadBalancerArn' --output text) --query 'Listeners[0].ListenerArn' --output text)
                rule=$(aws elbv2 create-rule --listener-arn $listener --priority 10 --conditions Field=path-pattern,Values=/lb-health \
                  --actions 'Type=fixed-response,FixedResponseConfig={StatusCode=200,ContentType=text/plain,MessageBody=ok}' \
                  --query 'Rules[0].RuleArn' --output text)
                aws elbv2 set-rule-priorities --rule-priorities RuleArn=$rule,Priority=20 --query 'Rules[0].Priority' --output text
                aws elbv2 describe-rules --rule-arns $rule --query 'Rules[0].[Priority,Conditions[0].PathPatternConfig.Values[0],Actions[0].FixedResponseConfig.MessageBody]' --output text
                aws elbv2 describe-rules --listener-arn $listener --query 'Rules[].Priority' --output text
                alb=$(aws elbv2 describe-load-balancers --names web-alb --query 'LoadBalancers[0].LoadBalancerArn' --output text)
                aws elbv2 modify-load-balancer-attributes --load-balancer-arn $alb --attributes Key=routing.http2.enabled,Value=true Key=idle_timeout.timeout_seconds,Value=120 \
                  --query "Attributes[?Key=='idle_timeout.timeout_seconds'].Value" --output text
                aws elbv2 modify-load-balancer-attributes --load-balancer-arn $alb --attributes Key=no.such.key,Value=1 2>&1 | grep -o 'ValidationError.*not recognized'
                nlb=$(aws elbv2 describe-load-balancers --names web-nlb --query 'LoadBalancers[0].LoadBalancerArn' --output text)
                nlblistener=$(aws elbv2 describe-listeners --load-balancer-arn $nlb --query 'Listeners[0].ListenerArn' --output text)
                aws elbv2 modify-listener-attributes --listener-arn $nlblistener --attributes Key=tcp.idle_timeout.seconds,Value=120 \
                  --query "Attributes[?Key=='tcp.idle_timeout.seconds'].Value" --output text
                aws elbv2 modify-load-balancer-attributes --load-balancer-arn $nlb --attributes Key=zonal_shift.config.enabled,Value=true 2>&1 \
                  | grep -o 'lbnet does not implement zonal_shift.config.enabled'
                aws elbv2 delete-rule --rule-arn $rule
                """
            let edited = try await Self.aws(topology, ["bash", "-c", rules])
            #expect(edited.stdout == "20\n20\t/lb-health\tok\n20\tdefault\n120\nValidationError) when calling the ModifyLoadBalancerAttributes operation: Load balancer attribute key 'no.such.key' is not recognized\n"
                    + "120\nlbnet does not implement zonal_shift.config.enabled\n",
                    "\(edited.output)")
            let answeredAgain = try await eventually(timeout: 30) {
                try await topology.exec("internet", ["curl", "-sS", "--max-time", "5", "http://\(NLBScenario.elasticIPA)/lb-health"]).stdout != "ok"
            }
            #expect(answeredAgain, "the deleted rule still answers")
            // Refusals with AWS's codes, and nothing changed by them.
            let before = try await topology.lbnet(["export"]).stdout
            let deleteRegistered = """
                aws elbv2 delete-load-balancer --load-balancer-arn $(aws elbv2 describe-load-balancers --names web-alb \
                  --query 'LoadBalancers[0].LoadBalancerArn' --output text)
                """
            let albListener = """
                $(aws elbv2 describe-listeners --load-balancer-arn $(aws elbv2 describe-load-balancers --names web-alb \
                  --query 'LoadBalancers[0].LoadBalancerArn' --output text) --query 'Listeners[0].ListenerArn' --output text)
                """
            for (command, code) in [
                (deleteRegistered, "ResourceInUse"),
                // AWS's rule limits: 6 condition values in one rule, a redirect to itself.
                ("aws elbv2 create-rule --listener-arn \(albListener) --priority 30 --conditions "
                    + "Field=host-header,Values=a.example.com,b.example.com,c.example.com Field=path-pattern,Values=/a,/b,/c "
                    + "--actions 'Type=fixed-response,FixedResponseConfig={StatusCode=200}'", "ValidationError"),
                ("aws elbv2 modify-listener --listener-arn \(albListener) --default-actions 'Type=redirect,RedirectConfig={StatusCode=HTTP_301}'",
                 "InvalidLoadBalancerAction"),
                ("aws elbv2 create-load-balancer --name web-alb --type network --subnets $(aws ec2 describe-subnets --query 'Subnets[0].SubnetId' --output text)",
                 "DuplicateLoadBalancerName"),
                ("aws elbv2 create-load-balancer --name other --subnets subnet-00000000000000000", "SubnetNotFound"),
                ("aws elbv2 create-load-balancer --name other --subnets $(aws ec2 describe-subnets --query 'Subnets[].SubnetId' --output text) --tags Key=aws:reserved,Value=b",
                 "ValidationError"),
            ] {
                let refused = try await Self.aws(topology, ["bash", "-c", command])
                #expect(refused.status != 0 && refused.stderr.contains("(\(code))"), "\(command): \(refused.output)")
            }
            #expect(try await topology.lbnet(["export"]).stdout == before)
        }
    }

    /// From an empty topology: a VPC and two subnets made through EC2's calls carry an NLB made
    /// through ELBv2's, with real namespaces; dependencies are refused; deleting all of it
    /// leaves the state empty and the namespaces gone.
    @Test func vpcsAndSubnetsMadeThroughTheAPICarryALoadBalancer() async throws {
        try await TestTopology.with(yaml: "{}") { topology in
            #expect(try await topology.up().status == 0)
            let build = """
                set -e
                vpc=$(aws ec2 create-vpc --cidr-block 10.7.0.0/16 --query 'Vpc.VpcId' --output text)
                a=$(aws ec2 create-subnet --vpc-id $vpc --cidr-block 10.7.1.0/24 --availability-zone zone-a --query 'Subnet.SubnetId' --output text)
                b=$(aws ec2 create-subnet --vpc-id $vpc --cidr-block 10.7.2.0/24 --availability-zone zone-b --query 'Subnet.SubnetId' --output text)
                aws elbv2 create-load-balancer --name api-nlb --type network --subnets $a $b --query 'LoadBalancers[0].Type' --output text
                aws ec2 create-subnet --vpc-id $vpc --cidr-block 10.8.1.0/24 2>&1 | grep -o InvalidSubnet.Range
                aws ec2 delete-vpc --vpc-id $vpc 2>&1 | grep -o DependencyViolation
                aws ec2 describe-subnets --filters Name=vpc-id,Values=$vpc --query 'Subnets[].AvailabilityZone' --output text
                """
            let built = try await AWSAPIEndpointTests.aws(topology, ["bash", "-c", build])
            #expect(built.stdout == "network\nInvalidSubnet.Range\nDependencyViolation\nzone-a\tzone-b\n", "\(built.output)")
            let made = try await eventually(timeout: 30) { try await topology.namespaces().contains(topology.namespace("api-nlb-zone-a")) }
            let namespaces = try await topology.namespaces()
            #expect(made, "\(namespaces)")
            let status = try await topology.lbnet(["status"]).stdout
            #expect(status.contains("api-nlb-zone-b") && status.contains("198.51.100."), "\(status)")
            let teardown = """
                set -e
                aws elbv2 delete-load-balancer --load-balancer-arn $(aws elbv2 describe-load-balancers --names api-nlb --query 'LoadBalancers[0].LoadBalancerArn' --output text)
                for subnet in $(aws ec2 describe-subnets --query 'Subnets[].SubnetId' --output text); do aws ec2 delete-subnet --subnet-id $subnet; done
                aws ec2 delete-vpc --vpc-id $(aws ec2 describe-vpcs --query 'Vpcs[0].VpcId' --output text)
                """
            let removed = try await AWSAPIEndpointTests.aws(topology, ["bash", "-c", teardown])
            #expect(removed.status == 0, "\(removed.output)")
            let left = try await topology.leftAfterTeardown()
            #expect(left == nil, "left: \(left ?? "")")
        }
    }
}
