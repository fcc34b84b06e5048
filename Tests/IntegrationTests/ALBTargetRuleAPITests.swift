import Foundation
import Orchestrator
import Testing

/// The rules of an ALB as the target of an NLB (`../shared/notes/aws-elb-semantics.md`), each
/// broken through the awscli against a running default topology: every call is refused with
/// AWS's error code, and the desired state (`lbnet export`) is the same afterwards.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct ALBTargetRuleAPITests {
    /// The default topology, plus a second ALB (`other-alb`), a second `alb` target group
    /// holding `web-alb` (so `web-alb` is the target of two groups: AWS's maximum) and two empty
    /// `alb` groups to register into: one on a port no ALB listens on, one on 80. They are in the
    /// file, not created through the API, so `up` has applied them all before the test reads
    /// `export` (the API answers a creation before the daemon has reconciled it).
    static let yaml = StateFileLoader.defaultTopologyYAML
        .replacingOccurrences(of: "loadBalancers:\n", with: """
            loadBalancers:
              - name: other-alb
                type: application
                scheme: internal
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - {protocol: HTTP, port: 80, defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: 200}}]}

            """)
        .replacingOccurrences(of: "targetGroups:\n", with: """
            targetGroups:
              - {name: second-alb-target, targetType: alb, protocol: TCP, port: 80, vpc: main, targets: [{id: web-alb}]}
              - {name: port-8081, targetType: alb, protocol: TCP, port: 8081, vpc: main}
              - {name: third-alb-target, targetType: alb, protocol: TCP, port: 80, vpc: main}

            """)

    @Test func eachRuleOfALBTargetsIsRefusedWithAWSsCodeAndChangesNothing() async throws {
        #expect(Self.yaml.contains("other-alb") && Self.yaml.contains("second-alb-target") && Self.yaml.contains("third-alb-target"))
        try await TestTopology.with(yaml: Self.yaml) { topology in
            let up = try await topology.up()
            try #require(up.status == 0, "\(up.output)")
            let before = try await topology.lbnet(["export"]).stdout
            func arn(_ kind: String, _ name: String) -> String {
                kind == "lb"
                    ? "$(aws elbv2 describe-load-balancers --names \(name) --query 'LoadBalancers[0].LoadBalancerArn' --output text)"
                    : "$(aws elbv2 describe-target-groups --names \(name) --query 'TargetGroups[0].TargetGroupArn' --output text)"
            }
            let vpc = "$(aws ec2 describe-vpcs --query 'Vpcs[0].VpcId' --output text)"
            let refusals: [(rule: String, command: String, code: String)] = [
                ("an alb target group uses TCP",
                 "aws elbv2 create-target-group --name http-alb --target-type alb --protocol HTTP --port 80 --vpc-id \(vpc)",
                 "ValidationError"),
                ("an alb target group holds one ALB",
                 "aws elbv2 register-targets --target-group-arn \(arn("tg", "web-alb-target")) --targets Id=\(arn("lb", "other-alb"))",
                 "TooManyTargets"),
                ("the group's port is a listener port of the ALB",
                 "aws elbv2 register-targets --target-group-arn \(arn("tg", "port-8081")) --targets Id=\(arn("lb", "other-alb"))",
                 "InvalidTarget"),
                ("the target is an application load balancer",
                 "aws elbv2 register-targets --target-group-arn \(arn("tg", "third-alb-target")) --targets Id=\(arn("lb", "web-nlb"))",
                 "InvalidTarget"),
                ("only TCP listeners forward to an alb target group",
                 "aws elbv2 create-listener --load-balancer-arn \(arn("lb", "web-nlb")) --protocol UDP --port 53 "
                    + "--default-actions Type=forward,TargetGroupArn=\(arn("tg", "third-alb-target"))",
                 "IncompatibleProtocols"),
                ("an ALB is the target of at most two target groups",
                 "aws elbv2 register-targets --target-group-arn \(arn("tg", "third-alb-target")) --targets Id=\(arn("lb", "web-alb"))",
                 "TooManyRegistrationsForTargetId"),
                ("a registered ALB cannot be deleted",
                 "aws elbv2 delete-load-balancer --load-balancer-arn \(arn("lb", "web-alb"))",
                 "ResourceInUse"),
                ("an alb target group keeps its default attributes",
                 "aws elbv2 modify-target-group-attributes --target-group-arn \(arn("tg", "web-alb-target")) "
                    + "--attributes Key=deregistration_delay.timeout_seconds,Value=10",
                 "ValidationError"),
                ("an alb target group's health checks are HTTP or HTTPS",
                 "aws elbv2 modify-target-group --target-group-arn \(arn("tg", "web-alb-target")) --health-check-protocol TCP",
                 "ValidationError"),
            ]
            for refusal in refusals {
                let answer = try await AWSAPIEndpointTests.aws(topology, ["bash", "-c", refusal.command])
                #expect(answer.status != 0 && answer.stderr.contains("(\(refusal.code))"),
                        "\(refusal.rule): \(refusal.command)\n\(answer.output)")
            }
            #expect(try await topology.lbnet(["export"]).stdout == before, "a refused call changed the desired state")
            // The path through both the NLB and the ALB still answers.
            #expect(try await ALBBehindNLBScenario.path(topology, NLBScenario.elasticIPA) != nil)
        }
    }
}
