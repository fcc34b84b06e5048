import Foundation
import Testing

@testable import Orchestrator

/// The attributes of network load balancers, their listeners and target groups: every one AWS
/// lists is implemented or refused by name, AWS's forbidden values in AWS's words.
@Suite struct ValidationNetworkAttributeTests {
    /// An NLB with one listener of `listenerProtocol` forwarding to group `tg` of `groupProtocol`.
    /// The NLB's attributes are on line 23, the listener's on line 27, the group's on line 34.
    static func nlb(lb: String = "{}", listener: String = "{}", group: String = "{}", listenerProtocol: String = "TCP",
                    groupProtocol: String = "TCP", targetType: String = "instance", scheme: String = "internet-facing") -> String {
        network + """
            loadBalancers:
              - name: nlb
                type: network
                scheme: \(scheme)
                attributes: \(lb)
                subnets: [subnet-1a]
                listeners:
                  - protocol: \(listenerProtocol)
                    attributes: \(listener)
                    port: 80
                    defaultActions: [{type: forward, targetGroupName: tg}]
            targetGroups:
              - name: tg
                protocol: \(groupProtocol)
                targetType: \(targetType)
                attributes: \(group)
                port: 8080
                vpc: main

            """
    }

    @Test func aFileWithEveryDefaultIsValid() {
        for scope in NetworkAttributeCatalog.Scope.allCases {
            for (groupProtocol, targetType) in [("TCP", "instance"), ("TCP", "ip"), ("UDP", "instance"), ("UDP", "ip")] {
                let context = NetworkAttributeCatalog.Context(
                    protocol: .init(rawValue: groupProtocol)!, targetType: .init(rawValue: targetType)!)
                let defaults = NetworkAttributeCatalog.defaults(scope, context)
                    .map { "\($0.0): \"\($0.1)\"" }.joined(separator: ", ")
                let text = "{\(defaults)}"
                let yaml = switch scope {
                case .loadBalancer: Self.nlb(lb: text, listenerProtocol: groupProtocol, groupProtocol: groupProtocol, targetType: targetType)
                case .listener: Self.nlb(listener: text, listenerProtocol: groupProtocol == "UDP" ? "TCP_UDP" : "TCP",
                                         groupProtocol: groupProtocol == "UDP" ? "TCP_UDP" : groupProtocol, targetType: targetType)
                case .targetGroup: Self.nlb(group: text, listenerProtocol: groupProtocol, groupProtocol: groupProtocol,
                                            targetType: targetType)
                }
                #expect(issueDescriptions(yaml) == [], "\(scope) \(groupProtocol) \(targetType)")
            }
        }
    }

    @Test func everyAttributeIsNamedInTheStateFileReference() throws {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: repository.appendingPathComponent("docs/state-file.md"), encoding: .utf8)
        for attribute in NetworkAttributeCatalog.all {
            let row = "| \(attribute.scope.rawValue.lowercased()) | `\(attribute.name)` |"
            #expect(text.contains(row), "docs/state-file.md lacks the row \(row)")
        }
    }

    @Test func unimplementedValuesAreRefusedByName() {
        #expect(issueDescriptions(Self.nlb(lb: #"{zonal_shift.config.enabled: "true", dns_record.client_routing_policy: availability_zone_affinity}"#)) == [
            "state.yaml:23: loadBalancers[0].attributes[\"dns_record.client_routing_policy\"]: lbnet does not implement "
                + "dns_record.client_routing_policy (only any_availability_zone, what lbnet does, is accepted)",
            "state.yaml:23: loadBalancers[0].attributes[\"zonal_shift.config.enabled\"]: lbnet does not implement "
                + "zonal_shift.config.enabled (only false, what lbnet does, is accepted)",
        ])
        #expect(issueDescriptions(Self.nlb(group: #"{target_group_health.dns_failover.minimum_healthy_targets.count: "2"}"#)) == [
            "state.yaml:34: targetGroups[0].attributes[\"target_group_health.dns_failover.minimum_healthy_targets.count\"]: lbnet does not implement "
                + "target_group_health.dns_failover.minimum_healthy_targets.count (only 1, what lbnet does, is accepted)",
        ])
    }

    /// Proxy protocol v2 on TCP and TLS groups; AWS has none for UDP.
    @Test func proxyProtocolIsForTCPAndTLSGroups() {
        #expect(issueDescriptions(Self.nlb(group: #"{proxy_protocol_v2.enabled: "true"}"#)) == [])
        #expect(issueDescriptions(Self.nlb(group: #"{proxy_protocol_v2.enabled: "true"}"#, listenerProtocol: "UDP", groupProtocol: "UDP")) == [
            "state.yaml:34: targetGroups[0].attributes[\"proxy_protocol_v2.enabled\"]: InvalidConfigurationRequest: proxy_protocol_v2.enabled "
                + "cannot be true if the target group protocol is UDP or TCP_UDP",
        ])
    }

    /// TLS listeners and groups preserve client addresses as TCP ones do (the terminator's
    /// relay is transparent), with AWS's defaults: on for instances, off for `ip` targets.
    @Test func clientIPPreservationWorksThroughTLS() throws {
        var file = try StateFileLoader.parse(Self.nlb(group: #"{preserve_client_ip.enabled: "true"}"#), source: "state.yaml")
        file.loadBalancers[0].listeners[0].protocol = .tls
        #expect(file.warnings() == [])
        let tlsIP = NetworkAttributeCatalog.Context(protocol: .tls, targetType: .ip)
        let tlsInstance = NetworkAttributeCatalog.Context(protocol: .tls, targetType: .instance)
        #expect([tlsIP, tlsInstance].map { NetworkAttributeCatalog.defaults(.targetGroup, $0).first { $0.0 == NetworkAttributeCatalog.preserveClientIP }?.1 }
                == ["false", "true"])
    }

    /// Client IP preservation is AWS's: on or off for TCP `instance` and `ip` groups alike.
    @Test func clientIPPreservationTakesEitherValueOnTCP() {
        for targetType in ["instance", "ip"] {
            for value in ["true", "false"] {
                #expect(issueDescriptions(Self.nlb(group: "{preserve_client_ip.enabled: \"\(value)\"}", targetType: targetType)) == [])
            }
        }
        let udp = NetworkAttributeCatalog.Context(protocol: .udp, targetType: .ip)
        let tcpIP = NetworkAttributeCatalog.Context(protocol: .tcp, targetType: .ip)
        let tcpInstance = NetworkAttributeCatalog.Context(protocol: .tcp, targetType: .instance)
        #expect([udp, tcpIP, tcpInstance].map { NetworkAttributeCatalog.defaults(.targetGroup, $0).first { $0.0 == NetworkAttributeCatalog.preserveClientIP }?.1 }
                == ["true", "false", "true"])
    }

    @Test func forbiddenValuesAreRefusedInAWSWords() {
        #expect(issueDescriptions(Self.nlb(group: #"{preserve_client_ip.enabled: "false"}"#, listenerProtocol: "UDP", groupProtocol: "UDP")) == [
            "state.yaml:34: targetGroups[0].attributes[\"preserve_client_ip.enabled\"]: InvalidConfigurationRequest: preserve_client_ip.enabled "
                + "cannot be false if the target group protocol is UDP or TCP_UDP",
        ])
        #expect(issueDescriptions(Self.nlb(group: "{stickiness.type: lb_cookie}")) == [
            "state.yaml:34: targetGroups[0].attributes[\"stickiness.type\"]: InvalidConfigurationRequest: Stickiness type 'lb_cookie' is not supported "
                + "for target groups with the TCP protocol",
        ])
        #expect(issueDescriptions(Self.nlb(group: #"{stickiness.enabled: "true", stickiness.type: source_ip}"#,
                                           listenerProtocol: "TLS", groupProtocol: "TLS")).contains(
            "state.yaml:34: targetGroups[0].attributes[\"stickiness.type\"]: InvalidConfigurationRequest: Stickiness type 'source_ip' is not supported "
                + "for target groups with the TLS protocol"))
        #expect(issueDescriptions(Self.nlb(group: #"{target_health_state.unhealthy.draining_interval_seconds: "60"}"#)) == [
            "state.yaml:34: targetGroups[0].attributes[\"target_health_state.unhealthy.draining_interval_seconds\"]: "
                + "InvalidConfigurationRequest: target_health_state.unhealthy.draining_interval_seconds can only be set when "
                + "target_health_state.unhealthy.connection_termination.enabled is false",
        ])
        #expect(issueDescriptions(Self.nlb(group: #"{target_health_state.unhealthy.connection_termination.enabled: "true"}"#,
                                           listenerProtocol: "UDP", groupProtocol: "UDP")) == [
            "state.yaml:34: targetGroups[0].attributes[\"target_health_state.unhealthy.connection_termination.enabled\"]: "
                + "InvalidConfigurationRequest: target_health_state.unhealthy.connection_termination.enabled cannot be true if the target group protocol "
                + "is UDP or TCP_UDP",
        ])
    }

    @Test func unknownAndApplicationOnlyKeysAreRefused() {
        #expect(issueDescriptions(Self.nlb(lb: #"{idle_timeout.timeout_seconds: "60", no.such: "1"}"#)) == [
            "state.yaml:23: loadBalancers[0].attributes[\"idle_timeout.timeout_seconds\"]: Load balancer attribute key "
                + "'idle_timeout.timeout_seconds' is not supported on load balancers with type 'network'",
            "state.yaml:23: loadBalancers[0].attributes[\"no.such\"]: Load balancer attribute key 'no.such' is not recognized",
        ])
        #expect(issueDescriptions(Self.nlb(group: #"{slow_start.duration_seconds: "30"}"#)) == [
            "state.yaml:34: targetGroups[0].attributes[\"slow_start.duration_seconds\"]: Target group attribute key "
                + "'slow_start.duration_seconds' is not supported for target groups with the TCP protocol",
        ])
        #expect(issueDescriptions(Self.nlb(listener: #"{tcp.idle_timeout.seconds: "60"}"#, listenerProtocol: "UDP",
                                           groupProtocol: "UDP")) == [
            "state.yaml:27: loadBalancers[0].listeners[0].attributes[\"tcp.idle_timeout.seconds\"]: Listener attribute key "
                + "'tcp.idle_timeout.seconds' is not supported on UDP listeners",
        ])
    }

    @Test func valuesOutsideAWSRangesAreRefused() {
        #expect(issueDescriptions(Self.nlb(listener: #"{tcp.idle_timeout.seconds: "59"}"#)) == [
            "state.yaml:27: loadBalancers[0].listeners[0].attributes[\"tcp.idle_timeout.seconds\"]: '59' is not a valid "
                + "value for tcp.idle_timeout.seconds: expected an integer in 60-6000",
        ])
        #expect(issueDescriptions(Self.nlb(lb: "{deletion_protection.enabled: maybe}")) == [
            "state.yaml:23: loadBalancers[0].attributes[\"deletion_protection.enabled\"]: 'maybe' is not a valid value "
                + "for deletion_protection.enabled: expected true or false",
        ])
    }

    @Test func listenersOfApplicationLoadBalancersTakeNoAttributes() {
        let yaml = network + """
            loadBalancers:
              - name: alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - protocol: HTTP
                    port: 80
                    attributes: {routing.http.response.server.enabled: "false"}
                    defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: "200"}}]

            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:26: loadBalancers[0].listeners[0].attributes[\"routing.http.response.server.enabled\"]: lbnet does "
                + "not implement routing.http.response.server.enabled (listener attributes of application load balancers)",
        ])
    }
}

/// AWS's deletion protection: `up` (and the API) refuses a file that deletes a protected load balancer.
@Suite struct ValidationDeletionProtectionTests {
    static let protected = ValidationNetworkAttributeTests.nlb(lb: #"{deletion_protection.enabled: "true"}"#)

    @Test func removingAProtectedLoadBalancerIsRefusedNamingIt() throws {
        let previous = try StateFileLoader.parse(Self.protected, source: "state.yaml")
        do {
            _ = try StateFileLoader.parse(network, source: "state.yaml", previous: previous)
            Issue.record("the removal was accepted")
        } catch {
            #expect(error.issues.map(\.message) == [
                "OperationNotPermitted: Load balancer 'nlb' cannot be deleted because deletion protection is enabled; "
                    + "set deletion_protection.enabled to false first",
            ])
        }
    }

    @Test func turningProtectionOffFirstAllowsTheRemoval() throws {
        let previous = try StateFileLoader.parse(Self.protected, source: "state.yaml")
        let unprotected = try StateFileLoader.parse(ValidationNetworkAttributeTests.nlb(), source: "state.yaml", previous: previous)
        _ = try StateFileLoader.parse(network, source: "state.yaml", previous: unprotected)
        _ = try StateFileLoader.parse(Self.protected, source: "state.yaml", previous: previous)
    }
}
