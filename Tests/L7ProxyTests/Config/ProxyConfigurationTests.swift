import Foundation
import Testing

@testable import L7Proxy

@Suite struct ProxyConfigurationTests {
    static let minimal = """
        {
          "nodeName": "alb-a", "availabilityZone": "az-a",
          "listeners": [{"port": 80, "defaultActions": [{"type": "forward", "targetGroups": [{"name": "web"}]}]}],
          "targetGroups": [{"name": "web", "port": 8080,
                            "targets": [{"address": "10.0.1.10", "availabilityZone": "az-a"}]}]
        }
        """

    @Test func minimalDocumentGetsAWSDefaults() throws {
        let configuration = try ProxyConfiguration.decode(Data(Self.minimal.utf8))
        #expect(configuration.idleTimeoutSeconds == 60)
        #expect(configuration.connectTimeoutSeconds == 10)
        let listener = try #require(configuration.listeners.first)
        #expect(listener.address == "0.0.0.0")
        #expect(listener.protocol == .http)
        #expect(listener.rules.isEmpty)
        let group = try #require(configuration.targetGroups.first)
        #expect(group.algorithm == .roundRobin)
        #expect(group.crossZoneEnabled)
        #expect(group.deregistrationDelaySeconds == 300)
        #expect(group.healthCheck == HealthCheckConfiguration(
            enabled: true, path: "/", port: "traffic-port", intervalSeconds: 30, timeoutSeconds: 5,
            healthyThreshold: 5, unhealthyThreshold: 2, matcher: "200"))
        let target = try #require(group.targets.first)
        #expect(target.port == nil)
        #expect(target.weight == 1)
        #expect(target.state == .registered)
    }

    @Test func fullDocumentRoundTrips() throws {
        let configuration = ProxyConfiguration(
            nodeName: "alb-a", availabilityZone: "az-a", idleTimeoutSeconds: 30,
            listeners: [
                ListenerConfiguration(
                    port: 80,
                    rules: [
                        ListenerRule(
                            priority: 5,
                            conditions: [
                                .hostHeader(["*.example.com"]), .pathPattern(["/api/*"]),
                                .httpHeader(name: "X-Env", values: ["prod"]), .httpRequestMethod(["GET", "POST"]),
                            ],
                            actions: [.forward([WeightedTargetGroup(name: "web", weight: 80), WeightedTargetGroup(name: "api", weight: 20)])]
                        ),
                        // AWS allows 5 condition values per rule: the other fields go in a rule of their own.
                        ListenerRule(
                            priority: 7,
                            conditions: [
                                .queryString([QueryStringPair(key: "v", value: "2"), QueryStringPair(value: "x*")]),
                                .sourceIP(["10.0.0.0/8", "2001:db8::/32"]),
                            ],
                            actions: [.forward([WeightedTargetGroup(name: "api")])]
                        ),
                        ListenerRule(priority: 6, conditions: [.pathPattern(["/old"])],
                                     actions: [.redirect(RedirectAction(statusCode: "HTTP_301", protocol: "HTTPS", port: "443"))]),
                    ],
                    defaultActions: [.fixedResponse(FixedResponseAction(statusCode: "404", contentType: "text/plain", messageBody: "none"))]
                )
            ],
            targetGroups: [
                TargetGroupConfiguration(name: "web", port: 8080, targets: [
                    TargetConfiguration(id: "i-1", address: "10.0.1.10", port: 8081, availabilityZone: "az-a", weight: 3, state: .draining),
                ]),
                TargetGroupConfiguration(name: "api", port: 9000, algorithm: .leastOutstandingRequests, crossZoneEnabled: false,
                                         healthCheck: HealthCheckConfiguration(path: "/health", matcher: "200-299"), targets: []),
            ]
        )
        try configuration.validate()
        let decoded = try ProxyConfiguration.decode(try configuration.encodedJSON())
        #expect(decoded == configuration)
        let json = String(decoding: try configuration.encodedJSON(), as: UTF8.self)
        #expect(json.contains("\"field\" : \"http-header\""))
        #expect(json.contains("\"type\" : \"fixed-response\""))
        #expect(json.contains("\"algorithm\" : \"least_outstanding_requests\""))
    }

    @Test func malformedDocumentNamesTheField() {
        let text = Self.minimal.replacingOccurrences(of: "\"port\": 80,", with: "\"port\": \"eighty\",")
        #expect(throws: ProxyConfigurationError.self) { try ProxyConfiguration.decode(Data(text.utf8), source: "alb.json") }
        do {
            _ = try ProxyConfiguration.decode(Data(text.utf8), source: "alb.json")
        } catch {
            #expect(error.description.contains("alb.json"))
            #expect(error.description.contains("listeners[0].port"))
        }
    }

    @Test func unknownConditionFieldIsRejected() {
        let text = """
            {"nodeName": "n", "availabilityZone": "z", "listeners": [{"port": 80,
              "rules": [{"priority": 1, "conditions": [{"field": "cookie", "values": ["a"]}],
                         "actions": [{"type": "fixed-response", "statusCode": "200"}]}],
              "defaultActions": [{"type": "fixed-response", "statusCode": "404"}]}]}
            """
        do {
            _ = try ProxyConfiguration.decode(Data(text.utf8))
            Issue.record("decoding should fail")
        } catch {
            #expect(error.description.contains("unknown condition field \"cookie\""))
            #expect(error.description.contains("listeners[0].rules[0].conditions[0].field"))
        }
    }

    @Test func missingFileIsUnreadable() {
        #expect(throws: ProxyConfigurationError.self) { try ProxyConfiguration.load(contentsOf: "/nonexistent/lbnet-alb.json") }
    }

    @Test func loadsFromFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("l7-config-\(UUID()).json").path
        try Data(Self.minimal.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ProxyConfiguration.load(contentsOf: path).nodeName == "alb-a")
    }
}

@Suite struct ProxyConfigurationValidationTests {
    func problems(_ configuration: ProxyConfiguration) -> [String] {
        configuration.problems
    }

    func configuration(
        rules: [ListenerRule] = [], defaultActions: [RuleAction] = [.forward([WeightedTargetGroup(name: "web")])],
        group: TargetGroupConfiguration = TargetGroupConfiguration(
            name: "web", port: 8080, targets: [TargetConfiguration(address: "10.0.1.10", availabilityZone: "az-a")])
    ) -> ProxyConfiguration {
        ProxyConfiguration(
            nodeName: "alb-a", availabilityZone: "az-a",
            listeners: [ListenerConfiguration(port: 80, rules: rules, defaultActions: defaultActions)],
            targetGroups: [group]
        )
    }

    @Test func validConfigurationPasses() {
        #expect(problems(configuration()).isEmpty)
    }

    @Test func reportsEveryProblemWithItsPath() {
        var bad = configuration(
            rules: [
                ListenerRule(priority: 0, conditions: [], actions: []),
                ListenerRule(priority: 7, conditions: [.sourceIP(["10.0.0.300/8"]), .hostHeader(["a", "b", "c", "d", "e", "f"])],
                             actions: [.forward([WeightedTargetGroup(name: "nope")])]),
                ListenerRule(priority: 7, conditions: [.pathPattern(["/a"]), .pathPattern(["/b"])],
                             actions: [.fixedResponse(FixedResponseAction(statusCode: "302", contentType: "image/png"))]),
            ]
        )
        bad.listeners[0].port = 70000
        bad.nodeName = ""
        let found = problems(bad)
        let expected = [
            "nodeName: must not be empty",
            "listeners[0].port: 70000 is outside 0-65535",
            "listeners[0].rules[0].priority: 0 is outside 1-50000",
            "listeners[0].rules[0].conditions: a rule needs at least one condition",
            "listeners[0].rules[0].actions: exactly one action is required, found 0",
            "listeners[0].rules[1].conditions[0].values[0]: '10.0.0.300/8' is not a CIDR block like 10.0.0.0/8",
            "listeners[0].rules[1].conditions[1].values: host-header needs 1-5 values, has 6",
            "listeners[0].rules[1].actions[0].targetGroups: unknown target group \"nope\"",
            "listeners[0].rules[2].priority: priority 7 is used by another rule",
            "listeners[0].rules[2].conditions[1]: path-pattern may appear only once per rule",
            "listeners[0].rules[2].actions[0].statusCode: '302' is not a 2XX, 4XX or 5XX status code",
        ]
        for problem in expected {
            #expect(found.contains(problem), "missing: \(problem)\nfound: \(found)")
        }
        #expect(found.contains { $0.hasPrefix("listeners[0].rules[2].actions[0].contentType:") })
    }

    @Test func redirectThatChangesNothingIsALoop() {
        let found = problems(configuration(defaultActions: [.redirect(RedirectAction(statusCode: "HTTP_301"))]))
        #expect(found == ["listeners[0].defaultActions[0]: The redirect configuration is not valid because it creates a loop."])
        let badParts = problems(configuration(defaultActions: [
            .redirect(RedirectAction(statusCode: "HTTP_307", protocol: "FTP", port: "0", path: "x", query: "?a"))
        ]))
        #expect(badParts.count == 5)
    }

    @Test func healthCheckLimits() {
        let group = TargetGroupConfiguration(
            name: "web", port: 8080,
            healthCheck: HealthCheckConfiguration(path: "health", port: "http", intervalSeconds: 5, timeoutSeconds: 5,
                                                  healthyThreshold: 1, unhealthyThreshold: 11, matcher: "200-600"),
            targets: [
                TargetConfiguration(address: "10.0.1.10", availabilityZone: "az-a"),
                TargetConfiguration(address: "10.0.1.10", port: 8080, availabilityZone: "az-a"),
                TargetConfiguration(address: "web-1", availabilityZone: "", weight: 1000),
            ]
        )
        let found = problems(configuration(group: group))
        for field in ["path", "port", "timeoutSeconds", "healthyThreshold", "unhealthyThreshold", "matcher"] {
            #expect(found.contains { $0.hasPrefix("targetGroups[0].healthCheck.\(field):") }, "\(field): \(found)")
        }
        #expect(found.contains("targetGroups[0].targets[1]: 10.0.1.10:8080 is registered twice"))
        #expect(found.contains("targetGroups[0].targets[2].address: \"web-1\" is not an IP address"))
        #expect(found.contains("targetGroups[0].targets[2].availabilityZone: must not be empty"))
        #expect(found.contains("targetGroups[0].targets[2].weight: 1000 is outside 0-999"))
    }

    @Test func forwardWeights() {
        #expect(problems(configuration(defaultActions: [.forward([WeightedTargetGroup(name: "web", weight: 0)])]))
            == ["listeners[0].defaultActions[0].targetGroups: at least one target group needs a weight above 0"])
    }
}
