import Foundation
import Testing

/// AWS's warning about an NLB and the ALB behind it with different cross-zone settings, made
/// real: the ALB's target group has cross-zone off and AZ b has no instance in it, so ALB node b
/// has no usable target in its zone and answers 503 to the flows the NLB sends it.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct CrossZoneMismatchTests {
    static func yaml(nlbCrossZone: Bool, healthInterval: Int) -> String {
        """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a}
          - {name: web-a2, subnet: subnet-1a}
        securityGroups:
          - name: default
            vpc: main
            ingress:
              - {ipProtocol: "-1", cidrIp: 10.0.0.0/16}
              - {ipProtocol: tcp, fromPort: 80, toPort: 80, cidrIp: 0.0.0.0/0}
        loadBalancers:
          - name: nlb
            type: network
            subnets: [subnet-1a, subnet-1b]
            attributes: {load_balancing.cross_zone.enabled: "\(nlbCrossZone)"}
            listeners:
              - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: to-alb}]}
          - name: alb
            type: application
            scheme: internal
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - {protocol: HTTP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}
        targetGroups:
          - name: to-alb
            targetType: alb
            protocol: TCP
            port: 80
            vpc: main
            healthCheck: {protocol: HTTP, path: /, intervalSeconds: \(healthInterval), timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2}
            targets: [{id: alb}]
          - name: web
            protocol: HTTP
            port: 8080
            vpc: main
            healthCheck: {path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2}
            attributes: {load_balancing.cross_zone.enabled: "false"}
            targets: [{id: web-a1}, {id: web-a2}]

        """
    }

    /// HTTP status codes of `count` requests to AZ a's Elastic IP, each on a new connection.
    static func statuses(_ topology: TestTopology, count: Int) async throws -> [Int] {
        let script = """
            import http.client
            for _ in range(\(count)):
                c = http.client.HTTPConnection("\(NLBScenario.elasticIPA)", 80, timeout=10)
                try:
                    c.request("GET", "/"); print(c.getresponse().status)
                except Exception:
                    print(0)
                c.close()
            """
        return try await topology.exec("internet", ["python3", "-c", script]).stdout.split(separator: "\n").compactMap { Int($0) }
    }

    @Test func mismatchGivesSome503sAndAWarning() async throws {
        try await TestTopology.with(yaml: Self.yaml(nlbCrossZone: true, healthInterval: 300)) { topology in
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            #expect(up.stderr.contains("warning: load balancer 'nlb' has cross-zone load balancing on but target group 'web'"), "\(up.stderr)")
            let codes = try await Self.statuses(topology, count: 40)
            #expect(codes.count == 40)
            #expect(codes.contains(200) && codes.contains(503), "expected a mix of 200 and 503: \(codes)")
            #expect(Set(codes).isSubset(of: [200, 503]))
        }
    }

    @Test func matchingSettingsServeEveryRequestAndTheEmptyZoneFailsItsHealthChecks() async throws {
        try await TestTopology.with(yaml: Self.yaml(nlbCrossZone: false, healthInterval: 5)) { topology in
            let up = try await topology.up()
            #expect(up.status == 0 && !up.stderr.contains("warning"), "\(up.output)")
            #expect(try await Self.statuses(topology, count: 30).allSatisfy { $0 == 200 })
            let unhealthy = try await eventually(timeout: 40) {
                (try? await topology.lbnet(["status"]).stdout.contains("10.0.2.253:80 (1, unhealthy (Target.ResponseCodeMismatch))")) == true
            }
            #expect(unhealthy, "the NLB's health checks did not find ALB node b unhealthy")
        }
    }
}

/// NLB health checks of an `alb` target group: an ALB node whose zone's instances all stop
/// leaves the NLB's rotation and comes back when they start; when every node fails, the NLB
/// fails open.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct ALBNodeHealthTests {
    static var yaml: String {
        CrossZoneMismatchTests.yaml(nlbCrossZone: true, healthInterval: 5)
            .replacingOccurrences(of: "  - {name: web-a2, subnet: subnet-1a}", with: "  - {name: web-b1, subnet: subnet-1b}")
            .replacingOccurrences(of: "targets: [{id: web-a1}, {id: web-a2}]", with: "targets: [{id: web-a1}, {id: web-b1}]")
    }

    static func signal(_ topology: TestTopology, _ instance: String, _ name: String) async throws {
        let pids = try await run(["ip", "netns", "pids", topology.namespace(instance)]).stdout.split(separator: "\n")
        #expect(!pids.contains("\(getpid())"), "the test process itself is listed in \(instance)'s namespace")
        for pid in pids where pid != "\(getpid())" {
            try await run(["kill", "-\(name)", String(pid)])
        }
    }

    static func weights(_ topology: TestTopology) async -> String? {
        try? await topology.lbnet(["status"]).stdout.split(separator: "\n").first { $0.hasPrefix("nlb ") && $0.contains("nlb-local-1a") }
            .map(String.init)
    }

    @Test func stoppedZoneLeavesRotationAndReturnsAndAllStoppedFailsOpen() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            #expect(try await topology.up().status == 0)
            // The last line of `lbnet status` each wait saw, for the failure message.
            var line = ""
            let bothIn = try await eventually(timeout: 60) {
                line = await Self.weights(topology) ?? ""
                return line.contains("10.0.2.253:80 (1, healthy)") && line.contains("10.0.1.253:80 (1, healthy)")
            }
            #expect(bothIn, "\(line)")

            try await Self.signal(topology, "web-b1", "STOP")
            let out = try await eventually(timeout: 45) {
                line = await Self.weights(topology) ?? ""
                return line.contains("10.0.2.253:80 (0, unhealthy")
            }
            #expect(out, "ALB node b stayed in rotation: \(line)")
            #expect(try await CrossZoneMismatchTests.statuses(topology, count: 20).allSatisfy { $0 == 200 })

            try await Self.signal(topology, "web-b1", "CONT")
            let back = try await eventually(timeout: 45) {
                line = await Self.weights(topology) ?? ""
                return line.contains("10.0.2.253:80 (1, healthy)")
            }
            #expect(back, "ALB node b did not return: \(line)")

            try await Self.signal(topology, "web-a1", "STOP")
            try await Self.signal(topology, "web-b1", "STOP")
            let open = try await eventually(timeout: 60) {
                line = await Self.weights(topology) ?? ""
                return line.contains("10.0.1.253:80 (1, unhealthy") && line.contains("10.0.2.253:80 (1, unhealthy")
            }
            #expect(open, "the NLB did not fail open: \(line)")
            try await Self.signal(topology, "web-a1", "CONT")
            try await Self.signal(topology, "web-b1", "CONT")
        }
    }
}
