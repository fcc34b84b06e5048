import Foundation
import Testing

@testable import Orchestrator

/// The attributes of application load balancers and HTTP target groups: every one AWS lists is
/// implemented or refused by name, AWS's forbidden values refused.
@Suite struct ValidationApplicationAttributeTests {
    /// An ALB whose attributes are on line 23, forwarding to HTTP group `tg` (attributes on line 32).
    static func alb(lb: String = "{}", group: String = "{}") -> String {
        network + """
            loadBalancers:
              - name: alb
                type: application
                scheme: internal
                attributes: \(lb)
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - protocol: HTTP
                    port: 80
                    defaultActions: [{type: forward, targetGroupName: tg}]
            targetGroups:
              - name: tg
                protocol: HTTP
                attributes: \(group)
                port: 8080
                vpc: main

            """
    }

    @Test func aFileWithEveryDefaultIsValid() {
        let context = NetworkAttributeCatalog.Context(scheme: .internal, protocol: .http)
        func text(_ scope: NetworkAttributeCatalog.Scope) -> String {
            "{" + ApplicationAttributeCatalog.defaults(scope, context).map { "\($0.0): \"\($0.1)\"" }.joined(separator: ", ") + "}"
        }
        #expect(issueDescriptions(Self.alb(lb: text(.loadBalancer), group: text(.targetGroup))) == [])
    }

    @Test func everyAttributeIsNamedInTheREADME() throws {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        for attribute in ApplicationAttributeCatalog.all {
            let row = "| \(attribute.scope.rawValue.lowercased()) | `\(attribute.name)` |"
            #expect(text.contains(row), "README.md lacks the row \(row)")
        }
    }

    @Test func valuesAndUnimplementedAttributesAreRefusedByName() {
        #expect(issueDescriptions(Self.alb(lb: #"{client_keep_alive.seconds: "30", routing.http2.enabled: "false", tcp.idle_timeout.seconds: "60"}"#)) == [
            "state.yaml:23: loadBalancers[0].attributes[\"client_keep_alive.seconds\"]: '30' is not a valid value for "
                + "client_keep_alive.seconds: expected an integer in 60-604800",
            "state.yaml:23: loadBalancers[0].attributes[\"routing.http2.enabled\"]: lbnet does not implement routing.http2.enabled "
                + "(only true, what lbnet does, is accepted)",
            "state.yaml:23: loadBalancers[0].attributes[\"tcp.idle_timeout.seconds\"]: Load balancer attribute key "
                + "'tcp.idle_timeout.seconds' is not recognized",
        ])
        #expect(issueDescriptions(Self.alb(lb: #"{dns_record.client_routing_policy: any_availability_zone}"#)) == [
            "state.yaml:23: loadBalancers[0].attributes[\"dns_record.client_routing_policy\"]: Load balancer attribute key "
                + "'dns_record.client_routing_policy' is not supported on load balancers with type 'application'",
        ])
        #expect(issueDescriptions(Self.alb(group: #"{slow_start.duration_seconds: "10", preserve_client_ip.enabled: "false", lambda.multi_value_headers.enabled: "true"}"#)) == [
            "state.yaml:32: targetGroups[0].attributes[\"lambda.multi_value_headers.enabled\"]: Target group attribute key "
                + "'lambda.multi_value_headers.enabled' is supported only for target groups of type lambda (lbnet has none)",
            "state.yaml:32: targetGroups[0].attributes[\"preserve_client_ip.enabled\"]: Target group attribute key "
                + "'preserve_client_ip.enabled' is not supported for target groups with the HTTP protocol",
            "state.yaml:32: targetGroups[0].attributes[\"slow_start.duration_seconds\"]: '10' is not a valid value for "
                + "slow_start.duration_seconds: expected 0 or an integer in 30-900",
        ])
    }

    @Test func forbiddenCombinationsAreRefused() {
        #expect(issueDescriptions(Self.alb(group: "{stickiness.type: source_ip}")) == [
            "state.yaml:32: targetGroups[0].attributes[\"stickiness.type\"]: InvalidConfigurationRequest: Stickiness type "
                + "'source_ip' is not supported for target groups with the HTTP protocol",
        ])
        #expect(issueDescriptions(Self.alb(group: #"{stickiness.enabled: "true", stickiness.type: app_cookie}"#)) == [
            "state.yaml:32: targetGroups[0].attributes[\"stickiness.app_cookie.cookie_name\"]: stickiness.app_cookie.cookie_name "
                + "must name the application's cookie when stickiness.type is app_cookie",
        ])
        #expect(issueDescriptions(Self.alb(group: "{stickiness.app_cookie.cookie_name: AWSALBX}")).first?.contains(
            "starts with AWSALB; the prefixes AWSALB, AWSALBAPP, AWSALBTG are reserved for the load balancer") == true)
        #expect(issueDescriptions(Self.alb(group: "{stickiness.app_cookie.cookie_name: \"a b\"}")).first?.contains(
            "is not a cookie name") == true)
        #expect(issueDescriptions(Self.alb(group: #"{load_balancing.algorithm.anomaly_mitigation: "on"}"#)) == [
            "state.yaml:32: targetGroups[0].attributes[\"load_balancing.algorithm.anomaly_mitigation\"]: "
                + "load_balancing.algorithm.anomaly_mitigation is only available when load_balancing.algorithm.type is weighted_random",
        ])
        #expect(issueDescriptions(Self.alb(group: #"{load_balancing.algorithm.type: weighted_random, load_balancing.algorithm.anomaly_mitigation: "on"}"#)) == [
            "state.yaml:32: targetGroups[0].attributes[\"load_balancing.algorithm.anomaly_mitigation\"]: lbnet does not implement "
                + "load_balancing.algorithm.anomaly_mitigation (only off, what lbnet does, is accepted)",
        ])
        #expect(issueDescriptions(Self.alb(group: #"{load_balancing.algorithm.type: least_outstanding_requests, slow_start.duration_seconds: "30"}"#)) == [
            "state.yaml:32: targetGroups[0].attributes[\"slow_start.duration_seconds\"]: slow_start.duration_seconds cannot be "
                + "enabled with the least_outstanding_requests algorithm",
        ])
        #expect(issueDescriptions(Self.alb(group: #"{stickiness.enabled: "true", stickiness.type: app_cookie, stickiness.app_cookie.cookie_name: SESSION, load_balancing.algorithm.type: weighted_random, slow_start.duration_seconds: "900"}"#)) == [])
    }
}
