import Foundation
import L7Proxy
import Testing
@testable import Orchestrator

/// ALB node configurations generated from a state file: one per node, with the listeners'
/// rules, the forwarded target groups, AWS's defaults and the attributes lbnet honours.
@Suite struct ALBConfigurationTests {
    @Test func oneNodePerSubnetWithItsZoneAndTheLoadBalancerSettings() throws {
        let nodes = try ALBFixtures.nodes()
        #expect(nodes.map(\.name) == ["web-alb-local-1a", "web-alb-local-1b"])
        #expect(nodes.map(\.host.address.description) == ["10.0.1.254/24", "10.0.2.254/24"])
        #expect(nodes.map(\.configuration.nodeName) == ["web-alb-local-1a", "web-alb-local-1b"])
        #expect(nodes.map(\.configuration.availabilityZone) == ["local-1a", "local-1b"])
        let configuration = nodes[0].configuration
        #expect(configuration.idleTimeoutSeconds == 120)
        #expect(configuration.connectTimeoutSeconds == 10)
        #expect(configuration.listeners.map { "\($0.address):\($0.port)" } == ["0.0.0.0:80"])
        #expect(nodes[1].configuration.listeners == configuration.listeners)
        #expect(nodes[1].configuration.targetGroups == configuration.targetGroups)
    }

    @Test func rulesRunByPriorityWithTheirConditionsAndActions() throws {
        let listener = try #require(try ALBFixtures.nodes().first?.configuration.listeners.first)
        #expect(listener.rules.map(\.priority) == [10, 20, 30, 40, 50])
        #expect(listener.rules[0].conditions == [
            .hostHeader(["api.example.com", "*.api.example.com"]), .httpHeader(name: "X-Canary", values: ["1"]),
        ])
        #expect(listener.rules[0].actions == [.forward([WeightedTargetGroup(name: "api", weight: 1)])])
        #expect(listener.rules[1].conditions == [.pathPattern(["/api/*"])])
        #expect(listener.rules[1].actions == [.forward([WeightedTargetGroup(name: "api", weight: 90),
                                                        WeightedTargetGroup(name: "web", weight: 10)])])
        #expect(listener.rules[2].actions == [.redirect(RedirectAction(
            statusCode: "HTTP_301", protocol: "#{protocol}", host: "#{host}", port: "#{port}", path: "/new/#{path}",
            query: "#{query}"))])
        #expect(listener.rules[3].conditions == [
            .queryString([QueryStringPair(key: "debug", value: "1"), QueryStringPair(value: "trace")]),
            .sourceIP(["10.0.0.0/16"]), .httpRequestMethod(["GET"]),
        ])
        #expect(listener.rules[3].actions == [.fixedResponse(FixedResponseAction(
            statusCode: "404", contentType: "text/plain", messageBody: "nope"))])
        #expect(listener.defaultActions == [.forward([WeightedTargetGroup(name: "web", weight: 1)])])
    }

    @Test func targetGroupsTakeAWSDefaultsForALBs() throws {
        let groups = try #require(try ALBFixtures.nodes().first?.configuration.targetGroups)
        #expect(groups.map(\.name) == ["web", "api", "legacy"])  // forwarded ones only, in file order
        let web = groups[0]
        #expect(web.port == 8080)
        #expect(web.algorithm == .roundRobin)
        #expect(web.crossZoneEnabled)
        #expect(web.deregistrationDelaySeconds == 300)
        #expect(web.healthCheck == HealthCheckConfiguration(
            enabled: true, path: "/", port: "traffic-port", intervalSeconds: 30, timeoutSeconds: 5,
            healthyThreshold: 5, unhealthyThreshold: 2, matcher: "200"))
        #expect(web.targets == [
            TargetConfiguration(id: "web-a1", address: "10.0.1.11", port: 8080, availabilityZone: "local-1a"),
            TargetConfiguration(id: "web-b1", address: "10.0.2.11", port: 8080, availabilityZone: "local-1b"),
        ])
    }

    @Test func targetGroupAttributesAndHealthCheckOverrideTheDefaults() throws {
        let groups = try #require(try ALBFixtures.nodes().first?.configuration.targetGroups)
        let api = groups[1]
        #expect(api.algorithm == .leastOutstandingRequests)
        #expect(!api.crossZoneEnabled)
        #expect(api.deregistrationDelaySeconds == 30)
        #expect(api.healthCheck == HealthCheckConfiguration(
            enabled: true, path: "/health", port: "9001", intervalSeconds: 10, timeoutSeconds: 3,
            healthyThreshold: 3, unhealthyThreshold: 4, matcher: "200-299"))
        #expect(api.targets == [TargetConfiguration(id: "api-a1", address: "10.0.1.12", port: 9000, availabilityZone: "local-1a")])
        // IP targets: the zone of the subnet that holds the address; a target's own port wins.
        #expect(groups[2].targets == [
            TargetConfiguration(id: "10.0.2.50", address: "10.0.2.50", port: 8081, availabilityZone: "local-1b"),
            TargetConfiguration(id: "10.0.1.60", address: "10.0.1.60", port: 9090, availabilityZone: "local-1a"),
        ])
    }

    @Test func crossZoneFollowsTheLoadBalancerWhenTheGroupSaysSo() throws {
        let yaml = ALBFixtures.stateFile.replacingOccurrences(
            of: "load_balancing.cross_zone.enabled: \"false\"",
            with: "load_balancing.cross_zone.enabled: use_load_balancer_configuration")
        let api = try #require(try ALBFixtures.nodes(yaml).first?.configuration.targetGroups.first { $0.name == "api" })
        #expect(api.crossZoneEnabled)
    }

    @Test func unusableAttributesAreRefusedByTheValidatorNamingTheKey() throws {
        let delay = ALBFixtures.stateFile.replacingOccurrences(of: "timeout_seconds: \"30\"", with: "timeout_seconds: \"5000\"")
        #expect { try ALBFixtures.nodes(delay) } throws: { error in
            "\(error)".contains("'5000' is not a valid value for deregistration_delay.timeout_seconds: expected an integer in 0-3600")
        }
        let idle = ALBFixtures.stateFile.replacingOccurrences(of: "\"120\"", with: "\"0\"")
        #expect { try ALBFixtures.nodes(idle) } throws: { error in
            "\(error)".contains("'0' is not a valid value for idle_timeout.timeout_seconds: expected an integer in 1-4000")
        }
    }

    @Test func stickinessSlowStartAndHeaderAttributesReachTheProxy() throws {
        let yaml = ALBFixtures.stateFile
            .replacingOccurrences(of: "least_outstanding_requests", with: "weighted_random")
            .replacingOccurrences(of: "attributes: {idle_timeout.timeout_seconds: \"120\"}", with: """
                attributes: {idle_timeout.timeout_seconds: "120", client_keep_alive.seconds: "600", \
                routing.http.xff_header_processing.mode: preserve, routing.http.preserve_host_header.enabled: "true"}
                """)
            .replacingOccurrences(of: "load_balancing.algorithm.type: weighted_random", with: """
                load_balancing.algorithm.type: weighted_random
                      stickiness.enabled: "true"
                      stickiness.type: app_cookie
                      stickiness.app_cookie.cookie_name: SESSION
                      slow_start.duration_seconds: "60"
                """)
        let configuration = try #require(try ALBFixtures.nodes(yaml).first?.configuration)
        let api = try #require(configuration.targetGroups.first { $0.name == "api" })
        #expect(api.algorithm == .weightedRandom)
        #expect(api.stickiness == TargetStickiness(type: .appCookie, durationSeconds: 86400, cookieName: "SESSION"))
        #expect(api.slowStartSeconds == 60)
        #expect(configuration.clientKeepAliveSeconds == 600)
        #expect(configuration.forwardedHeaders == ForwardedHeaderPolicy(xffHeaderProcessingMode: .preserve, preserveHostHeader: true))
    }

    @Test func loadBalancersWithoutHTTPListenersRunNoProxy() throws {
        let yaml = ALBFixtures.network + """
            loadBalancers:
              - {name: idle-alb, type: application, scheme: internal, subnets: [subnet-1a, subnet-1b]}

            """
        let model = try ALBFixtures.model(yaml)
        #expect(model.topology.hosts.contains { $0.name == "idle-alb-local-1a" })
        #expect(try model.applicationLoadBalancerNodes().isEmpty)
    }

    @Test func eachNodeRunsItsProxyInItsNamespace() throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stateFile = directory + "/state.yaml"
        try ALBFixtures.stateFile.write(toFile: stateFile, atomically: true, encoding: .utf8)
        let deployment = Deployment(directory: StateDirectory(path: directory + "/state"), prefix: "lbnet-u", executable: "/bin/lbnet")
        let processes = try deployment.prepare(.file(stateFile), health: HealthRecord()).fabric.processes.filter { $0.name.hasPrefix("web-alb") }
        #expect(processes == ["local-1a", "local-1b"].map { az in
            ProcessSpec(name: "web-alb-\(az)", namespace: "lbnet-u-web-alb-\(az)",
                        arguments: ["/bin/lbnet", "proxy", "--config", "\(directory)/state/alb/web-alb-\(az).json",
                                    "--control", "\(directory)/state/alb/web-alb-\(az).sock"])
        })
    }

    @Test func aStateDirectoryTooLongForTheControlSocketsIsRefused() throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stateFile = directory + "/state.yaml"
        try ALBFixtures.stateFile.write(toFile: stateFile, atomically: true, encoding: .utf8)
        let deep = directory + "/" + String(repeating: "d", count: 90)
        let deployment = Deployment(directory: StateDirectory(path: deep), prefix: "lbnet-u", executable: "/bin/lbnet")
        #expect(throws: ProxyControlError.self) { try deployment.prepare(.file(stateFile), health: HealthRecord()) }
    }

    @Test func rulesReadAsOneLineEachForStatus() throws {
        let node = try #require(try ALBFixtures.nodes().first)
        let rows = ApplicationLoadBalancerRuleText.rows(loadBalancer: "web-alb", node.configuration)
        #expect(rows.map(\.priority) == ["10", "20", "30", "40", "50", "default"])
        #expect(rows.allSatisfy { $0.listener == "HTTP:80" })
        #expect(rows[0].conditions == "host-header=api.example.com|*.api.example.com; http-header(X-Canary)=1")
        #expect(rows[1].action == "forward api:90, web:10")
        #expect(rows[2].action == "redirect HTTP_301 to #{protocol}://#{host}:#{port}/new/#{path}?#{query}")
        #expect(rows[3].conditions == "query-string=debug=1|trace; source-ip=10.0.0.0/16; http-request-method=GET")
        #expect(rows[3].action == "fixed-response 404 (text/plain)")
        #expect(rows[5].conditions == "-")
        #expect(rows[5].action == "forward web")
    }
}
