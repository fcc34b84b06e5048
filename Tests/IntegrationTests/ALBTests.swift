import Foundation
import Testing

/// Application Load Balancers end to end: `lbnet up` runs one `lbnet proxy` per node in its
/// namespace; requests from an instance in the VPC are routed by the listener's rules, unhealthy
/// targets leave rotation and come back, and configuration changes apply under load without a
/// failed request.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct ALBTests {
    @Test func routesByHostAndPathOnEveryNode() async throws {
        try await TestTopology.with(yaml: ALBScenario.yaml()) { topology in
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            #expect(up.stdout.contains("+ alb config web-alb-local-1a"), "\(up.stdout)")
            #expect(up.stdout.contains("+ process web-alb-local-1b"), "\(up.stdout)")

            for (address, node) in [(ALBScenario.nodeA, "web-alb-local-1a"), (ALBScenario.nodeB, "web-alb-local-1b")] {
                let byHost = try await ALBScenario.request(topology, address, host: "API.example.com")
                #expect(byHost.status == 200, "\(byHost.body)")
                #expect(byHost.instance?.hasPrefix("api-") == true, "\(byHost.body)")
                #expect(byHost.json["via"] as? [String] == [node])
                #expect((byHost.json["forwarded"] as? [String: Any])?["for"] as? String == ALBScenario.clientAddress)

                #expect(try await ALBScenario.request(topology, address, path: "/api/orders?id=1").instance?.hasPrefix("api-") == true)
                #expect(try await ALBScenario.request(topology, address, path: "/orders", host: "www.example.com").instance?.hasPrefix("web-") == true)

                let redirect = try await ALBScenario.request(topology, address, path: "/old/page")
                #expect(redirect.status == 301)
                #expect(redirect.location == "http://\(address):80/new/old/page")

                let fixed = try await ALBScenario.request(topology, address, path: "/maintenance")
                #expect(fixed.status == 503)
                #expect(fixed.body == "down for maintenance")
            }
            // Cross-zone is on for ALB target groups: one node reaches targets in both zones.
            let answered = Set(try await (0..<12).asyncCompactMap { _ in try await ALBScenario.request(topology, ALBScenario.nodeA).instance })
            #expect(answered == ["web-a1", "web-b1"])

            let again = try await topology.up()
            #expect(again.stdout.contains("No changes"), "\(again.output)")

            let status = try await topology.lbnet(["status"])
            for text in ["web-alb-local-1b", "running (pid", "loaded", "HTTP:80", "host-header=api.example.com", "forward api",
                         "redirect HTTP_301", "fixed-response 503", "default", "api-b1", "10.0.2.12:8080"] {
                #expect(status.stdout.contains(text), "missing \(text) in\n\(status.stdout)")
            }
            let json = try await topology.lbnet(["status", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let albs = try #require(object["applicationLoadBalancers"] as? [String: Any])
            #expect((albs["nodes"] as? [[String: Any]])?.compactMap { $0["process"] as? String } == ["running", "running"])
            #expect((albs["targets"] as? [[String: Any]])?.count == 8)
        }
    }

    @Test func unhealthyTargetLeavesRotationAndReturnsAfterRecovery() async throws {
        try await TestTopology.with(yaml: ALBScenario.yaml()) { topology in
            #expect(try await topology.up().status == 0)
            #expect(try await eventually(timeout: 30) { ALBScenario.allNodes(topology, see: "web-b1", of: "web", as: "healthy") })

            let pid = try await run(["ip", "netns", "pids", topology.namespace("web-b1")]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!pid.isEmpty && !pid.contains("\n"))
            try await run(["kill", "-STOP", pid])
            // Not `run`: a defer cannot wait for a command.
            defer { if let stopped = pid_t(pid) { kill(stopped, SIGCONT) } }

            // Interval 5 s x unhealthy threshold 2, plus the 2 s timeout of the last check.
            let stopped = Date()
            #expect(try await eventually(timeout: 20) { ALBScenario.allNodes(topology, see: "web-b1", of: "web", as: "unhealthy") })
            #expect(Date().timeIntervalSince(stopped) <= 5 * 2 + 2 + 3)
            #expect(ALBScenario.targetState(topology, node: "web-alb-local-1b", group: "web", target: "web-b1")?.reason == "Target.Timeout")
            let status = try await topology.lbnet(["status"]).stdout
            let rows = status.split(separator: "\n").filter { $0.contains("web-b1") && $0.contains("Target.Timeout") }
            #expect(rows.count == 2 && rows.allSatisfy { $0.contains("unhealthy") }, "\(status)")

            for address in [ALBScenario.nodeA, ALBScenario.nodeB] {
                let answers = try await (0..<6).asyncMap { _ in try await ALBScenario.request(topology, address) }
                #expect(answers.map(\.status) == Array(repeating: 200, count: 6))
                #expect(Set(answers.compactMap(\.instance)) == ["web-a1"])
            }

            try await run(["kill", "-CONT", pid])
            #expect(try await eventually(timeout: 20) { ALBScenario.allNodes(topology, see: "web-b1", of: "web", as: "healthy") })
            let back = try await (0..<8).asyncCompactMap { _ in try await ALBScenario.request(topology, ALBScenario.nodeA).instance }
            #expect(back.contains("web-b1"), "\(back)")
        }
    }

    @Test func configurationChangesUnderLoadFailNoRequest() async throws {
        try await TestTopology.with(yaml: ALBScenario.yaml()) { topology in
            #expect(try await topology.up().status == 0)
            let namespace = topology.namespace(ALBScenario.client)
            // One keep-alive connection (300 requests at 50/s) and 120 fresh connections.
            let keepAlive = try BackgroundCommand(["ip", "netns", "exec", namespace, "curl", "-s", "--max-time", "30", "--rate", "50/s"]
                + (0..<300).flatMap { ["-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n", "http://\(ALBScenario.nodeA)/ka\($0)"] })
            let fresh = try BackgroundCommand(["ip", "netns", "exec", namespace, "bash", "-c",
                "for i in $(seq 120); do curl -s -o /dev/null --max-time 5 -w '%{http_code}\\n' http://\(ALBScenario.nodeB)/; sleep 0.03; done"])
            try await Task.sleep(for: .milliseconds(1_500))

            let weighted = "{type: forward, forwardConfig: {targetGroups: [{targetGroupName: web, weight: 1}, {targetGroupName: api, weight: 1}]}}"
            let canary = """
                          - priority: 5
                            conditions: [{field: path-pattern, values: [/canary]}]
                            actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 200, messageBody: canary}}]
                """
            try topology.write(ALBScenario.yaml(defaultAction: weighted, extraRules: canary))
            let plan = try await topology.lbnet(["plan", "-f", topology.stateFile])
            #expect(plan.stdout.contains("~ alb config web-alb-local-1a: rules"), "\(plan.output)")
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            let lines = up.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }.map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines == ["~ alb config web-alb-local-1a: rules", "~ alb config web-alb-local-1b: rules"], "\(up.stdout)")

            let keepAliveCodes = await keepAlive.finish().split(separator: "\n")
            #expect(keepAliveCodes.count == 300)
            #expect(keepAliveCodes.allSatisfy { $0.hasPrefix("200 ") }, "\(keepAliveCodes.filter { !$0.hasPrefix("200 ") })")
            #expect(keepAliveCodes.dropFirst().allSatisfy { $0 == "200 0" }, "the connection was not kept")
            let freshCodes = await fresh.finish().split(separator: "\n")
            #expect(freshCodes.count == 120)
            #expect(freshCodes.allSatisfy { $0 == "200" }, "\(freshCodes.filter { $0 != "200" })")

            // The new rule and weights are in force on both nodes as soon as `up` returns.
            for address in [ALBScenario.nodeA, ALBScenario.nodeB] {
                #expect(try await ALBScenario.request(topology, address, path: "/canary").body == "canary")
            }
            let groups = Set(try await (0..<30).asyncCompactMap { _ in try await ALBScenario.request(topology, ALBScenario.nodeA).instance?.prefix(3) })
            #expect(groups == ["web", "api"])
        }
    }

    @Test func removingTheLoadBalancerStopsItsNodesAndRemovesTheirFiles() async throws {
        try await TestTopology.with(yaml: ALBScenario.yaml()) { topology in
            #expect(try await topology.up().status == 0)
            let albDirectory = topology.stateDirectory + "/alb"
            #expect(FileManager.default.fileExists(atPath: albDirectory + "/web-alb-local-1a.sock"))

            let withoutALB = ALBScenario.yaml().components(separatedBy: "loadBalancers:")[0]
            try topology.write(withoutALB)
            var up = try await topology.up()
            let stopped = up.stdout.contains("- process web-alb-local-1b")
            if up.status != 0, up.stderr.contains("ENODEV") {
                // The fabric's own race, not the ALB's: the router-side veth of a namespace just
                // removed can vanish between the link dump and its deletion. The next `up` converges.
                withKnownIssue("removing a host namespace races its veth's deletion (ENODEV)", isIntermittent: true) {
                    Issue.record("\(up.stderr)")
                }
                up = try await topology.up()
            }
            #expect(up.status == 0, "\(up.output)")
            #expect(up.stdout.contains("- alb config web-alb-local-1a"), "\(up.stdout)")
            #expect(stopped, "\(up.stdout)")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: albDirectory)) ?? []).isEmpty)
            #expect(!(try await topology.namespaces()).contains(topology.namespace("web-alb-local-1a")))

            try topology.write(ALBScenario.yaml())
            #expect(try await topology.up().status == 0)
            #expect(try await topology.lbnet(["down"]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: albDirectory))
        }
    }
}
