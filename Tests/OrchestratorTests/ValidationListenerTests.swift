import Orchestrator
import Testing

/// Listener actions and rules; sections are appended to `network`, so their first line is line 19.
@Suite struct ValidationListenerTests {
    /// Target groups appended after the load balancers of each test.
    let targetGroups = """
        targetGroups:
          - {name: web, protocol: HTTP, port: 8080, vpc: main}
          - {name: web-2, protocol: HTTP, port: 8080, vpc: main}
          - {name: tcp, protocol: TCP, port: 8080, vpc: main}
          - {name: udp, protocol: UDP, port: 8080, vpc: main}
          - {name: consumer-web, protocol: HTTP, port: 8080, vpc: consumer}
        """

    @Test func forwardActionsNeedExactlyOneTargetForm() {
        let yaml = network + """
            loadBalancers:
              - name: web-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - protocol: HTTP
                    port: 80
                    defaultActions:
                      - {type: forward}
                      - {type: forward, targetGroupName: web, forwardConfig: {targetGroups: [{targetGroupName: web}]}}
                      - {type: fixed-response, targetGroupName: web}

            """ + targetGroups
        #expect(issueDescriptions(yaml) == [
            "state.yaml:26: loadBalancers[0].listeners[0].defaultActions: "
                + "takes exactly one forward, redirect or fixed-response action, got 3",
            "state.yaml:27: loadBalancers[0].listeners[0].defaultActions[0]: a forward action needs targetGroupName or forwardConfig",
            "state.yaml:28: loadBalancers[0].listeners[0].defaultActions[1]: set either targetGroupName or forwardConfig, not both",
            "state.yaml:29: loadBalancers[0].listeners[0].defaultActions[2].targetGroupName: "
                + "targetGroupName is only for forward actions",
            "state.yaml:29: loadBalancers[0].listeners[0].defaultActions[2]: a fixed-response action needs fixedResponseConfig",
        ])
    }

    @Test func forwardedTargetGroupsAreKnownInTheVPCAndOfAFittingProtocol() {
        let yaml = network + """
            loadBalancers:
              - name: web-nlb
                type: network
                subnets: [subnet-1a]
                listeners:
                  - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: webb}]}
                  - {protocol: UDP, port: 53, defaultActions: [{type: forward, targetGroupName: tcp}]}
                  - {protocol: TLS, port: 443, defaultActions: [{type: forward, targetGroupName: udp}]}
              - name: web-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - {protocol: HTTP, port: 80, defaultActions: [{type: forward, targetGroupName: consumer-web}]}

            """ + targetGroups
        let listeners = "loadBalancers[0].listeners"
        #expect(issueDescriptions(yaml) == [
            "state.yaml:24: \(listeners)[0].defaultActions[0].targetGroupName: unknown target group 'webb' (did you mean 'web'?)",
            "state.yaml:25: \(listeners)[1].defaultActions[0].targetGroupName: "
                + "IncompatibleProtocols: UDP listeners cannot forward to target group 'tcp' (TCP); they need UDP or TCP_UDP",
            "state.yaml:26: \(listeners)[2].defaultActions[0].targetGroupName: "
                + "IncompatibleProtocols: TLS listeners cannot forward to target group 'udp' (UDP); they need TCP or TLS",
            "state.yaml:26: \(listeners)[2].certificates: a TLS listener needs at least one certificate (the first is the default)",
            "state.yaml:31: loadBalancers[1].listeners[0].defaultActions[0].targetGroupName: "
                + "target group 'consumer-web' is in VPC 'consumer', but load balancer 'web-alb' is in VPC 'main'",
        ])
    }

    @Test func aTargetGroupServesOneLoadBalancer() {
        let yaml = network + """
            loadBalancers:
              - name: web-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - {protocol: HTTP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}
                  - {protocol: HTTP, port: 8080, defaultActions: [{type: forward, targetGroupName: web}]}
              - name: other-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - {protocol: HTTP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}

            """ + targetGroups
        #expect(issueDescriptions(yaml) == [
            "state.yaml:30: loadBalancers[1].listeners[0].defaultActions[0].targetGroupName: "
                + "target group 'web' is already used by load balancer 'web-alb'; a target group serves one load balancer",
        ])
    }

    @Test func networkLoadBalancersOnlyForwardToOneTargetGroup() {
        let yaml = network + """
            loadBalancers:
              - name: web-nlb
                type: network
                subnets: [subnet-1a]
                listeners:
                  - protocol: TCP
                    port: 80
                    defaultActions:
                      - type: forward
                        forwardConfig:
                          targetGroups: [{targetGroupName: tcp}, {targetGroupName: udp}]
                          targetGroupStickinessConfig: {enabled: false}
                  - protocol: TCP
                    port: 81
                    defaultActions: [{type: redirect, redirectConfig: {statusCode: HTTP_301}}]

            """ + targetGroups
        let listeners = "loadBalancers[0].listeners"
        #expect(issueDescriptions(yaml) == [
            "state.yaml:29: \(listeners)[0].defaultActions[0].forwardConfig.targetGroups: "
                + "network load balancers forward to at most 1 target group, got 2",
            "state.yaml:29: \(listeners)[0].defaultActions[0].forwardConfig.targetGroups[1].targetGroupName: "
                + "IncompatibleProtocols: TCP listeners cannot forward to target group 'udp' (UDP); they need TCP or TCP_UDP",
            "state.yaml:30: \(listeners)[0].defaultActions[0].forwardConfig.targetGroupStickinessConfig: "
                + "targetGroupStickinessConfig is only for application load balancers",
            "state.yaml:33: \(listeners)[1].defaultActions[0].type: redirect actions are only for application load balancers",
            "state.yaml:33: \(listeners)[1].defaultActions[0].redirectConfig: "
                + "InvalidLoadBalancerAction: The redirect configuration is not valid because it creates a loop.",
        ])
    }

    @Test func weightedForwardsAreWellFormed() {
        let yaml = network + """
            loadBalancers:
              - name: web-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - protocol: HTTP
                    port: 80
                    defaultActions:
                      - type: forward
                        forwardConfig:
                          targetGroups:
                            - {targetGroupName: web, weight: 1000}
                            - {targetGroupName: web}
                          targetGroupStickinessConfig: {enabled: true}

            """ + targetGroups
        let config = "loadBalancers[0].listeners[0].defaultActions[0].forwardConfig"
        #expect(issueDescriptions(yaml) == [
            "state.yaml:30: \(config).targetGroups[0].weight: weight 1000 is out of range 0-999",
            "state.yaml:31: \(config).targetGroups[1].targetGroupName: target group 'web' is listed twice",
            "state.yaml:32: \(config).targetGroupStickinessConfig: durationSeconds is required when stickiness is enabled",
        ])
    }

    @Test func redirectsAndFixedResponsesAreWellFormed() {
        let yaml = network + """
            loadBalancers:
              - name: web-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - protocol: HTTPS
                    port: 443
                    defaultActions:
                      - type: redirect
                        redirectConfig: {protocol: HTTP, port: "#{portt}", path: "#{path}", query: "?a=1", statusCode: HTTP_302}
                  - protocol: HTTP
                    port: 80
                    defaultActions:
                      - type: fixed-response
                        fixedResponseConfig: {statusCode: 302, contentType: text/xml}
            """
        let redirect = "loadBalancers[0].listeners[0].defaultActions[0].redirectConfig"
        let fixed = "loadBalancers[0].listeners[1].defaultActions[0].fixedResponseConfig"
        #expect(issueDescriptions(yaml) == [
            "state.yaml:24: loadBalancers[0].listeners[0].certificates: an HTTPS listener needs at least one certificate (the first is the default)",
            "state.yaml:28: \(redirect).protocol: an HTTPS listener cannot redirect to HTTP",
            "state.yaml:28: \(redirect).port: '#{portt}' is neither a port number from 1 to 65535 nor #{port}",
            "state.yaml:28: \(redirect).path: '#{path}' must start with '/'",
            "state.yaml:28: \(redirect).query: leave out the leading '?' (it is added)",
            "state.yaml:33: \(fixed).statusCode: '302' is not a 2XX, 4XX or 5XX status code",
            "state.yaml:33: \(fixed).contentType: 'text/xml' is not one of "
                + "text/plain, text/css, text/html, application/javascript, application/json",
        ])
    }

    @Test func rulesHaveUniquePrioritiesAndWellFormedConditions() {
        let yaml = network + """
            loadBalancers:
              - name: web-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - protocol: HTTP
                    port: 80
                    defaultActions: [{type: forward, targetGroupName: web}]
                    rules:
                      - priority: 0
                        conditions: []
                        actions: [{type: forward, targetGroupName: web}]
                      - priority: 10
                        conditions:
                          - {field: host-header, values: [a.io, b.io, c.io, d.io, e.io, f.io]}
                          - {field: host-header, values: [x.example.com], httpHeaderName: Host}
                          - {field: http-header, values: [v]}
                          - {field: source-ip, values: [10.0.0.1, 192.0.2.0/24]}
                          - {field: http-request-method, values: [get]}
                          - {field: query-string, values: []}
                        actions: [{type: forward, targetGroupName: web}]
                      - priority: 10
                        conditions: [{field: path-pattern, values: [/]}]
                        actions: []

            """ + targetGroups
        let rules = "loadBalancers[0].listeners[0].rules"
        #expect(issueDescriptions(yaml) == [
            "state.yaml:28: \(rules)[0].priority: priority 0 is out of range 1-50000",
            "state.yaml:29: \(rules)[0].conditions: a rule needs at least one condition",
            "state.yaml:32: \(rules)[1].conditions: a rule can only have 5 condition values, got 11",
            "state.yaml:33: \(rules)[1].conditions[0].values: a condition needs 1 to 5 values, got 6",
            "state.yaml:34: \(rules)[1].conditions[1].field: a rule takes one host-header condition (see \(rules)[1].conditions[0])",
            "state.yaml:34: \(rules)[1].conditions[1].httpHeaderName: httpHeaderName is only for http-header conditions",
            "state.yaml:35: \(rules)[1].conditions[2]: an http-header condition needs httpHeaderName",
            "state.yaml:36: \(rules)[1].conditions[3].values[0]: '10.0.0.1' is not an IPv4 CIDR block like 192.0.2.0/24",
            "state.yaml:37: \(rules)[1].conditions[4].values[0]: "
                + "'get' is not an HTTP method name like GET (A-Z, '_' and '-', at most 40)",
            "state.yaml:38: \(rules)[1].conditions[5].values: a condition needs 1 to 5 values, got 0",
            "state.yaml:40: \(rules)[2].priority: priority 10 is already used by \(rules)[1]",
            "state.yaml:42: \(rules)[2].actions: takes exactly one forward, redirect or fixed-response action, got 0",
        ])
    }
}
