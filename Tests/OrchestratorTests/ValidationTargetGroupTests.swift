import Orchestrator
import Testing

/// Target group checks. `targetNetwork` is 26 lines long, so appended target groups start on line 27.
@Suite struct ValidationTargetGroupTests {
    let targetNetwork = """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
          - name: consumer
            cidr: 10.1.0.0/16
            subnets:
              - {name: consumer-1a, az: local-1a, cidr: 10.1.1.0/24}
              - {name: consumer-1b, az: local-1b, cidr: 10.1.2.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a}
          - {name: other-1, subnet: consumer-1a}
        loadBalancers:
          - name: web-alb
            type: application
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - {protocol: HTTP, port: 80, defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: 200}}]}
          - {name: web-nlb, type: network, subnets: [subnet-1a]}
          - name: consumer-alb
            type: application
            subnets: [consumer-1a, consumer-1b]
            listeners:
              - {protocol: HTTP, port: 80, defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: 200}}]}

        """

    @Test func targetsMatchTheTargetTypeAndVPC() {
        let yaml = targetNetwork + """
            targetGroups:
              - name: by-instance
                protocol: HTTP
                port: 8080
                vpc: main
                targets: [{id: web-a2}, {id: other-1}, {id: web-a1}, {id: web-a1, port: 8080}, {id: web-a1, port: 0}]
              - name: by-ip
                targetType: ip
                protocol: TCP
                port: 8080
                vpc: main
                targets: [{id: 10.1.1.5}, {id: web-a1}]
              - {name: lost, protocol: TCP, port: 65536, vpc: man}
            """
        let targets = "targetGroups[0].targets"
        #expect(issueDescriptions(yaml) == [
            "state.yaml:32: \(targets)[0].id: unknown instance 'web-a2' (did you mean 'web-a1'?)",
            "state.yaml:32: \(targets)[1].id: InvalidTarget: instance 'other-1' is in VPC 'consumer', not in the target group's VPC 'main'",
            "state.yaml:32: \(targets)[3]: target web-a1:8080 is already registered (\(targets)[2])",
            "state.yaml:32: \(targets)[4].port: port 0 is out of range 1-65535",
            "state.yaml:38: targetGroups[1].targets[0].id: 10.1.1.5 is outside the target group's VPC 'main' (10.0.0.0/16)",
            "state.yaml:38: targetGroups[1].targets[1].id: 'web-a1' is not an IPv4 address like 10.0.1.11",
            "state.yaml:39: targetGroups[2].vpc: unknown VPC 'man' (did you mean 'main'?)",
            "state.yaml:39: targetGroups[2].port: port 65536 is out of range 1-65535",
        ])
    }

    @Test func albTargetGroupsFollowAWSRules() {
        let yaml = targetNetwork + """
            targetGroups:
              - name: to-alb
                targetType: alb
                protocol: HTTP
                port: 8080
                vpc: main
                attributes: {deregistration_delay.timeout_seconds: 10}
                targets: [{id: web-alb}, {id: web-nlb}]
              - {name: to-consumer, targetType: alb, protocol: TCP, port: 80, vpc: main, targets: [{id: consumer-alb}]}
              - {name: to-alb-2, targetType: alb, protocol: TCP, port: 80, vpc: main, targets: [{id: web-alb}]}
              - {name: to-alb-3, targetType: alb, protocol: TCP, port: 80, vpc: main, targets: [{id: web-alb}]}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:28: targetGroups[0].healthCheck: application load balancer 'web-alb' has no HTTP listener "
                + "on health check port 8080",
            "state.yaml:30: targetGroups[0].protocol: a target group of type alb uses TCP, not HTTP",
            "state.yaml:33: targetGroups[0].attributes: the attributes of a target group of type alb cannot be changed",
            "state.yaml:34: targetGroups[0].targets[0].id: InvalidTarget: application load balancer 'web-alb' has no listener on port 8080 "
                + "(its listener ports: 80)",
            "state.yaml:34: targetGroups[0].targets[1].id: "
                + "InvalidTarget: 'web-nlb' is a network load balancer; an alb target group needs an application one",
            "state.yaml:34: targetGroups[0].targets: TooManyTargets: a target group of type alb holds one application load balancer, got 2",
            "state.yaml:35: targetGroups[1].targets[0].id: "
                + "InvalidTarget: application load balancer 'consumer-alb' is in VPC 'consumer', not in the target group's VPC 'main'",
            "state.yaml:37: targetGroups[3].targets[0].id: TooManyRegistrationsForTargetId: application load balancer 'web-alb' is already the target of "
                + "targetGroups[0] and targetGroups[2]; it can be the target of at most 2 target groups",
        ])
    }

    @Test func healthChecksAreInRange() {
        let yaml = targetNetwork + """
            targetGroups:
              - name: web
                protocol: HTTP
                port: 8080
                vpc: main
                healthCheck:
                  protocol: TCP
                  port: 0
                  path: health
                  intervalSeconds: 4
                  timeoutSeconds: 5
                  healthyThresholdCount: 11
                  unhealthyThresholdCount: 1
                  matcher: 200-500
              - name: tcp
                protocol: TCP
                port: 8080
                vpc: main
                healthCheck: {path: /health, matcher: "200"}
            """
        let check = "targetGroups[0].healthCheck"
        #expect(issueDescriptions(yaml) == [
            "state.yaml:33: \(check).protocol: a target group of protocol HTTP checks health with HTTP or HTTPS",
            "state.yaml:34: \(check).port: port 0 is out of range 1-65535",
            "state.yaml:35: \(check).path: path is only for HTTP and HTTPS health checks",
            "state.yaml:35: \(check).path: 'health' must start with '/'",
            "state.yaml:36: \(check).intervalSeconds: intervalSeconds 4 is out of range 5-300",
            "state.yaml:37: \(check).timeoutSeconds: timeoutSeconds (5) must be less than intervalSeconds (4)",
            "state.yaml:38: \(check).healthyThresholdCount: healthyThresholdCount 11 is out of range 2-10",
            "state.yaml:39: \(check).unhealthyThresholdCount: unhealthyThresholdCount 1 is out of range 2-10",
            "state.yaml:40: \(check).matcher: matcher is only for HTTP and HTTPS health checks",
            "state.yaml:40: \(check).matcher: status code 500 is out of range 200-499",
            "state.yaml:45: targetGroups[1].healthCheck.path: path is only for HTTP and HTTPS health checks",
            "state.yaml:45: targetGroups[1].healthCheck.matcher: matcher is only for HTTP and HTTPS health checks",
        ])
    }

    @Test func rejectsMalformedMatchersAndPorts() {
        let yaml = targetNetwork + """
            targetGroups:
              - name: web
                protocol: HTTP
                port: 8080
                vpc: main
                healthCheck: {port: any, matcher: 2xx}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:32: targetGroups[0].healthCheck.port: 'any' is neither traffic-port nor a port number",
            "state.yaml:32: targetGroups[0].healthCheck.matcher: '2xx' is not an HTTP code matcher like 200, 200,202 or 200-299",
        ])
    }
}
