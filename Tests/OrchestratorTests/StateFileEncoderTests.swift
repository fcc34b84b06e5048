import Foundation
@testable import Orchestrator
import Testing

/// The encoder writes what the decoder reads back as the same state file.
@Suite struct StateFileEncoderTests {
    static let rich = """
        elasticIpPool: 203.0.113.0/24
        vpcs:
          - {name: main, cidr: 10.0.0.0/16, subnets: [{name: a, az: local-1a, cidr: 10.0.1.0/24}, {name: b, az: local-1b, cidr: 10.0.2.0/24}]}
          - {name: consumer, cidr: 10.1.0.0/16, subnets: [{name: c, az: local-1a, cidr: 10.1.1.0/24}]}
        instances:
          - {name: web-1, subnet: a, address: 10.0.1.20, port: 9000}
          - {name: job, subnet: b, run: [sh, -c, "echo 'hi: there' && sleep 1"]}
          - {name: client, subnet: c}
        elasticIps: [{name: fixed, address: 203.0.113.9}]
        loadBalancers:
          - name: front
            type: network
            scheme: internet-facing
            subnetMappings: [{subnetId: a, allocationId: fixed}, {subnetId: b}]
            datapath: nftables
            attributes: {load_balancing.cross_zone.enabled: "true"}
            listeners:
              - {protocol: TCP, port: 80, attributes: {tcp.idle_timeout.seconds: "120"}, defaultActions: [{type: forward, targetGroupName: alb}]}
          - name: app
            type: application
            scheme: internal
            subnets: [a, b]
            attributes: {idle_timeout.timeout_seconds: "120"}
            listeners:
              - protocol: HTTP
                port: 80
                defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: 404, contentType: text/plain, messageBody: "no: route"}}]
                rules:
                  - priority: 5
                    conditions: [{field: path-pattern, values: ["/api/*"]}, {field: http-header, httpHeaderName: X-Env, values: ["true"]}]
                    actions: [{type: forward, forwardConfig: {targetGroups: [{targetGroupName: web, weight: 3}, {targetGroupName: web2, weight: 1}], targetGroupStickinessConfig: {enabled: true, durationSeconds: 60}}}]
                  - priority: 7
                    conditions: [{field: query-string, values: [{key: v, value: "1"}, {value: bare}]}]
                    actions: [{type: redirect, redirectConfig: {protocol: HTTPS, port: "443", path: "/#{path}", statusCode: HTTP_301}}]
        targetGroups:
          - {name: alb, targetType: alb, protocol: TCP, port: 80, vpc: main, targets: [{id: app}]}
          - {name: web, protocol: HTTP, port: 8080, vpc: main, healthCheck: {path: /health, port: "9000", intervalSeconds: 10, timeoutSeconds: 3, healthyThresholdCount: 2, unhealthyThresholdCount: 3, matcher: 200-299}, targets: [{id: web-1, port: 9000}]}
          - {name: web2, targetType: ip, protocol: HTTP, port: 8080, vpc: main, healthCheck: {protocol: HTTP, port: traffic-port}, targets: [{id: 10.0.2.30}]}
        endpointServices:
          - {name: svc, networkLoadBalancers: [front], acceptanceRequired: true, allowedPrincipals: ["arn:aws:iam::123456789012:root"], acceptedEndpoints: [ep]}
        vpcEndpoints:
          - {name: ep, vpcEndpointType: Interface, serviceName: svc, vpc: consumer, subnets: [c], principal: "arn:aws:iam::123456789012:root"}
        """

    func roundTrips(_ text: String) throws {
        let file = try StateFileLoader.parse(text, source: "original")
        let written = try StateFileEncoder.yaml(file)
        #expect(try StateFileLoader.parse(written, source: "written") == file, "\(written)")
    }

    @Test func theDefaultTopologyAndARichFileRoundTrip() throws {
        try roundTrips(StateFileLoader.defaultTopologyYAML)
        try roundTrips(Self.rich)
    }

    @Test func anEmptyFileIsAnEmptyMapping() throws {
        #expect(try StateFileEncoder.yaml(StateFile()) == "{}\n")
    }

    @Test func stringsThatYAMLWouldReadAsOtherTypesAreQuoted() throws {
        let written = try StateFileEncoder.yaml(try StateFileLoader.parse(Self.rich, source: "rich"))
        #expect(written.contains(#"load_balancing.cross_zone.enabled: "true""#), "\(written)")
        #expect(written.contains(#"statusCode: "404""#), "\(written)")
        #expect(written.contains(#"tcp.idle_timeout.seconds: "120""#), "\(written)")
        #expect(written.contains("cidr: 10.0.0.0/16"), "\(written)")
        #expect(written.contains("name: main"), "\(written)")
    }
}
