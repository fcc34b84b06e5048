import Health
import Kernel
import Orchestrator
import Testing

/// An NLB with Elastic IPs in front of an ALB, the ALB's rules, and an NLB behind an endpoint service.
let loadBalancing = network + """
    loadBalancers:
      - name: edge-nlb
        type: network
        subnetMappings:
          - {subnetId: subnet-1a, allocationId: eip-a}
          - {subnetId: subnet-1b, allocationId: eip-b}
        datapath: ipvs
        scheduler: mh
        attributes: {load_balancing.cross_zone.enabled: true}
        listeners:
          - protocol: TCP
            port: 80
            defaultActions: [{type: forward, targetGroupName: edge-to-alb}]
      - name: web-alb
        type: application
        scheme: internal
        subnets: [subnet-1a, subnet-1b]
        securityGroups: [sg-web]
        listeners:
          - protocol: HTTP
            port: 80
            defaultActions:
              - type: fixed-response
                fixedResponseConfig: {statusCode: 404, contentType: text/plain, messageBody: nothing here}
            rules:
              - priority: 10
                conditions:
                  - {field: host-header, values: ["*.example.com"]}
                  - {field: path-pattern, values: [/api/*, /v2/*]}
                actions:
                  - type: forward
                    forwardConfig:
                      targetGroups: [{targetGroupName: web, weight: 3}, {targetGroupName: web-canary}]
                      targetGroupStickinessConfig: {enabled: true, durationSeconds: 3600}
              - priority: 20
                conditions:
                  - {field: http-header, httpHeaderName: X-Env, values: [staging]}
                  - {field: query-string, values: [{key: debug, value: "1"}, {value: trace}]}
                  - {field: source-ip, values: [192.0.2.0/24]}
                  - {field: http-request-method, values: [GET]}  # 5 condition values in all, the per-rule quota
                actions:
                  - type: redirect
                    redirectConfig: {protocol: HTTPS, port: "443", path: "/#{path}", statusCode: HTTP_301}
      - name: svc-nlb
        type: network
        scheme: internal
        subnetMappings:
          - {subnetId: subnet-1a, privateIPv4Address: 10.0.1.5}
          - {subnetId: subnet-1b, privateIPv4Address: 10.0.2.5}
        listeners:
          - {protocol: TCP, port: 443, defaultActions: [{type: forward, targetGroupName: web-tcp}]}
    targetGroups:
      - name: edge-to-alb
        targetType: alb
        protocol: TCP
        port: 80
        vpc: main
        targets: [{id: web-alb}]
      - name: web
        protocol: HTTP
        port: 8080
        vpc: main
        healthCheck:
          path: /health
          port: traffic-port
          intervalSeconds: 10
          timeoutSeconds: 5
          healthyThresholdCount: 3
          unhealthyThresholdCount: 2
          matcher: "200-299,302"
        attributes: {deregistration_delay.timeout_seconds: 30}
        targets: [{id: web-a1}, {id: web-b1, port: 8081}]
      - name: web-canary
        targetType: ip
        protocol: HTTP
        port: 8080
        vpc: main
        targets: [{id: 10.0.3.20}]
      - name: web-tcp
        protocol: TCP
        port: 8080
        vpc: main
        healthCheck: {protocol: TCP, port: 8080}
        targets: [{id: web-a1}]
    endpointServices:
      - name: web-svc
        networkLoadBalancers: [svc-nlb]
        acceptanceRequired: true
        allowedPrincipals: ["arn:aws:iam::123456789012:root"]
        acceptedEndpoints: [ep-a]
    vpcEndpoints:
      - name: ep-a
        vpcEndpointType: Interface
        serviceName: web-svc
        vpc: consumer
        subnets: [consumer-1a]
        principal: "arn:aws:iam::123456789012:root"
    securityGroups:
      - {name: sg-web, vpc: main, ingress: [{ipProtocol: tcp, fromPort: 80, toPort: 80, cidrIp: 0.0.0.0/0}]}

    """

@Suite struct StateFileLoadBalancerTests {
    @Test func parsesLoadBalancersTargetGroupsAndEndpoints() throws {
        let file = try StateFileLoader.parse(loadBalancing, source: "state.yaml")
        #expect(file.loadBalancers.map(\.name) == ["edge-nlb", "web-alb", "svc-nlb"])

        let edge = file.loadBalancers[0]
        #expect(edge.type == .network && edge.scheme == .internetFacing)
        #expect(edge.subnetMappings == [
            StateFile.SubnetMapping(subnetId: "subnet-1a", allocationId: "eip-a"),
            StateFile.SubnetMapping(subnetId: "subnet-1b", allocationId: "eip-b"),
        ])
        #expect(edge.subnetNames == ["subnet-1a", "subnet-1b"])
        #expect(edge.datapath == .ipvs && edge.scheduler == .mh)
        #expect(edge.attributes == ["load_balancing.cross_zone.enabled": "true"])
        #expect(edge.listeners == [
            StateFile.Listener(protocol: .tcp, port: 80, defaultActions: [.forward(to: "edge-to-alb")]),
        ])

        let alb = file.loadBalancers[1]
        #expect(alb.scheme == .internal && alb.subnets == ["subnet-1a", "subnet-1b"])
        #expect(alb.securityGroups == ["sg-web"] && alb.datapath == nil)
        let listener = try #require(alb.listeners.first)
        #expect(listener.defaultActions == [
            StateFile.Action(type: .fixedResponse, fixedResponseConfig: StateFile.FixedResponseConfig(
                statusCode: "404", contentType: "text/plain", messageBody: "nothing here")),
        ])
        #expect(listener.rules.map(\.priority) == [10, 20])
        #expect(listener.rules[0].conditions == [
            StateFile.RuleCondition(field: .hostHeader, values: ["*.example.com"]),
            StateFile.RuleCondition(field: .pathPattern, values: ["/api/*", "/v2/*"]),
        ])
        let forward = try #require(listener.rules[0].actions.first)
        #expect(forward.forwardConfig == StateFile.ForwardConfig(
            targetGroups: [
                StateFile.WeightedTargetGroup(targetGroupName: "web", weight: 3),
                StateFile.WeightedTargetGroup(targetGroupName: "web-canary", weight: 1),
            ],
            targetGroupStickinessConfig: StateFile.TargetGroupStickinessConfig(enabled: true, durationSeconds: 3600)))
        #expect(forward.forwardTargets.map(\.targetGroupName) == ["web", "web-canary"])
        #expect(listener.rules[1].conditions == [
            StateFile.RuleCondition(field: .httpHeader, values: ["staging"], httpHeaderName: "X-Env"),
            StateFile.RuleCondition(field: .queryString, queryStringValues: [
                StateFile.QueryStringKeyValue(key: "debug", value: "1"), StateFile.QueryStringKeyValue(value: "trace"),
            ]),
            StateFile.RuleCondition(field: .sourceIP, values: ["192.0.2.0/24"]),
            StateFile.RuleCondition(field: .httpRequestMethod, values: ["GET"]),
        ])
        #expect(listener.rules[1].actions == [
            StateFile.Action(type: .redirect, redirectConfig: StateFile.RedirectConfig(
                protocol: "HTTPS", port: "443", path: "/#{path}", statusCode: .http301)),
        ])

        #expect(file.loadBalancers[2].subnetMappings.map(\.privateIPv4Address) == [
            IPv4Address(10, 0, 1, 5), IPv4Address(10, 0, 2, 5),
        ])
    }

    @Test func parsesTargetGroups() throws {
        let file = try StateFileLoader.parse(loadBalancing, source: "state.yaml")
        #expect(file.targetGroups.map(\.targetType) == [.alb, .instance, .ip, .instance])
        #expect(file.targetGroups[0].targets == [StateFile.Target(id: "web-alb")])
        let web = file.targetGroups[1]
        #expect(web.protocol == .http && web.port == 8080 && web.vpc == "main")
        #expect(web.healthCheck == StateFile.HealthCheck(
            port: .trafficPort, path: "/health", intervalSeconds: 10, timeoutSeconds: 5, healthyThresholdCount: 3,
            unhealthyThresholdCount: 2, matcher: HTTPCodeMatcher("200-299,302")))
        #expect(web.healthCheck?.matcher?.ranges == [200...299, 302...302])
        #expect(web.healthCheck?.matcher?.matches(302) == true)
        #expect(web.healthCheck?.matcher?.matches(301) == false)
        #expect(web.attributes == ["deregistration_delay.timeout_seconds": "30"])
        #expect(web.targets == [StateFile.Target(id: "web-a1"), StateFile.Target(id: "web-b1", port: 8081)])
        #expect(file.targetGroups[3].healthCheck == StateFile.HealthCheck(protocol: .tcp, port: .port(8080)))
    }

    @Test func parsesEndpointServicesAndEndpoints() throws {
        let file = try StateFileLoader.parse(loadBalancing, source: "state.yaml")
        #expect(file.endpointServices == [
            StateFile.EndpointService(
                name: "web-svc", networkLoadBalancers: ["svc-nlb"], acceptanceRequired: true,
                allowedPrincipals: ["arn:aws:iam::123456789012:root"], acceptedEndpoints: ["ep-a"]),
        ])
        #expect(file.vpcEndpoints == [
            StateFile.VPCEndpoint(
                name: "ep-a", vpcEndpointType: .interface, serviceName: "web-svc", vpc: "consumer",
                subnets: ["consumer-1a"], principal: "arn:aws:iam::123456789012:root"),
        ])
    }

    @Test func appliesDefaults() throws {
        let yaml = network + """
            loadBalancers:
              - {name: web-nlb, type: network, subnets: [subnet-1a]}
            endpointServices:
              - {name: web-svc, networkLoadBalancers: [web-nlb]}
            """
        let file = try StateFileLoader.parse(yaml, source: "state.yaml")
        let nlb = try #require(file.loadBalancers.first)
        #expect(nlb.scheme == .internetFacing && nlb.datapath == nil && nlb.scheduler == nil)
        #expect(nlb.listeners.isEmpty && nlb.attributes.isEmpty && nlb.securityGroups.isEmpty)
        let service = try #require(file.endpointServices.first)
        #expect(service.acceptanceRequired == false && service.allowedPrincipals == ["*"])
        #expect(file.instances.map(\.port) == [8080, 8080])
    }

    @Test func keepsLoadBalancerNodesOutOfTheHostsForNow() throws {
        let topology = try StateFileLoader.parse(loadBalancing, source: "state.yaml").resolve()
        #expect(topology.hosts.map(\.name) == ["web-a1", "web-b1"])
        #expect(topology.vpcs.map(\.name) == ["main", "consumer"])
    }
}
