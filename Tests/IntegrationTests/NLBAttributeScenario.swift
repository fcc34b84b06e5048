import Foundation
import Testing

/// NLB attributes with traffic as the witness: source-IP stickiness, deletion protection, and
/// refused attributes that change nothing.
extension NLBScenario {
    /// `yaml()` with cross-zone on and the target group's `attributes` (YAML lines under it).
    func yaml(crossZone: String = "true", groupAttributes: [String], lbAttributes: String = "",
              targets: [String] = ["web-a1", "web-a2", "web-b1", "web-b2"], delay: Int = 300) -> String {
        yaml(crossZone: crossZone, targets: targets, delay: delay).replacingOccurrences(of: """
                attributes:
                  deregistration_delay.timeout_seconds: "\(delay)"
            """, with: """
                attributes:
                  deregistration_delay.timeout_seconds: "\(delay)"
            \(groupAttributes.map { "      \($0)" }.joined(separator: "\n"))
            """).replacingOccurrences(of: """
                attributes: {load_balancing.cross_zone.enabled: "\(crossZone)"}
            """, with: """
                attributes: {load_balancing.cross_zone.enabled: "\(crossZone)"\(lbAttributes.isEmpty ? "" : ", \(lbAttributes)")}
            """)
    }

    func sourceIPStickinessKeepsAClientOnOneTarget() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml(crossZone: "true"))
            let spread = try await instances(topology, Self.elasticIPA, fromPorts: Array(41101...41116))
            #expect(Set(spread).count > 1, "without stickiness every source port reached one target: \(spread)")

            // The instances are clients below too: without client IP preservation, one balanced to
            // itself is answered (with it, AWS's hairpin limitation would time it out).
            try await up(topology, yaml(groupAttributes: [#"stickiness.enabled: "true""#, "stickiness.type: source_ip",
                                                          #"preserve_client_ip.enabled: "false""#]))
            let sticky = try await instances(topology, Self.elasticIPA, fromPorts: Array(41101...41116))
            #expect(sticky.count == 16 && !sticky.contains("-") && Set(sticky).count == 1,
                    "flows of one client reached several targets: \(sticky)")
            // Clients with other addresses (the instances, to the node's private address) spread.
            // The service hashes the first connection's address and port: from one fixed port
            // each client's target is the same in every run (from random ports all four shared
            // one target once in 64 runs).
            var targets: Set<String> = []
            for client in ["web-a1", "web-a2", "web-b1", "web-b2"] {
                let seen = try await instances(topology, from: client, "10.0.1.254", fromPorts: Array(41201...41206))
                #expect(seen.count == 6 && Set(seen).count == 1 && !seen.contains("-"), "\(client) reached \(seen)")
                targets.formUnion(seen)
            }
            #expect(targets.count > 1, "every client reached the same target: \(targets)")
            #expect(try await topology.up().stdout.contains("No changes"))
        }
    }

    func deletionProtectionRefusesTheRemoval() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml(groupAttributes: [], lbAttributes: #"deletion_protection.enabled: "true""#))
            let before = try await datapathState(topology)
            try topology.write(Self.twoZoneNetwork + "\n")
            for command in [["plan"], ["up"]] {
                let refused = try await topology.lbnet(command + ["-f", topology.stateFile])
                #expect(refused.status != 0)
                #expect(refused.output.contains("Load balancer 'nlb' cannot be deleted because deletion protection is enabled"),
                        "\(refused.output)")
            }
            #expect(try await datapathState(topology) == before)
            #expect(try await answers(topology, Self.elasticIPA, count: 4).isEmpty == false)
            // Turned off, the load balancer can go.
            try await up(topology, yaml(groupAttributes: []))
            try await up(topology, Self.twoZoneNetwork + "\n")
            #expect(try await answers(topology, Self.elasticIPA, count: 2).isEmpty)
        }
    }

    func refusedAttributesChangeNothing() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml(crossZone: "true"))
            let before = try await datapathState(topology)
            for (attribute, message) in [
                (#"target_group_health.dns_failover.minimum_healthy_targets.count: "2""#,
                 "lbnet does not implement target_group_health.dns_failover.minimum_healthy_targets.count"),
                (#"stickiness.type: lb_cookie"#, "InvalidConfigurationRequest: Stickiness type 'lb_cookie' is not supported for target groups with the TCP protocol"),
            ] {
                try topology.write(yaml(groupAttributes: [attribute]))
                let refused = try await topology.up()
                #expect(refused.status != 0)
                #expect(refused.output.contains(message), "\(refused.output)")
            }
            #expect(try await datapathState(topology) == before)
        }
    }

    /// A keep-alive connection idle past the listener's `tcp.idle_timeout.seconds` (60, AWS's
    /// least) is reset at its next request; one that asks again within it keeps working.
    func idleFlowIsResetAfterTheIdleTimeout() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml(crossZone: "true").replacingOccurrences(
                of: "{protocol: TCP, port: 80,", with: #"{protocol: TCP, port: 80, attributes: {tcp.idle_timeout.seconds: "60"},"#))
            let witness = datapath == "ipvs" ? ["ipvsadm", "-L", "--timeout"] : ["sysctl", "-n", "net.netfilter.nf_conntrack_tcp_timeout_established"]
            let timeout = try await run(["ip", "netns", "exec", topology.namespace("nlb-local-1a")] + witness).stdout
            #expect(datapath == "ipvs" ? timeout.contains("Timeout (tcp tcpfin udp): 60 ") : timeout.trimmingCharacters(in: .whitespacesAndNewlines) == "60",
                    "\(timeout)")
            let script = """
                import http.client, json, time
                def ask(c):
                    try:
                        c.request("GET", "/"); return json.loads(c.getresponse().read())["instance"]
                    except Exception as error:
                        return type(error).__name__
                idle, busy = (http.client.HTTPConnection("\(Self.elasticIPA)", 80, timeout=10) for _ in range(2))
                print(ask(idle), ask(busy), flush=True)
                time.sleep(40); print(ask(busy), flush=True)
                time.sleep(28); print(ask(idle), flush=True)
                """
            let lines = try await topology.exec("internet", ["python3", "-c", script]).stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(lines)")
            guard lines.count == 3 else { return }
            #expect(lines[0].split(separator: " ").allSatisfy { $0.hasPrefix("web-") }, "\(lines)")
            #expect(lines[1].hasPrefix("web-"), "a connection used within the idle timeout was cut: \(lines)")
            #expect(lines[2] == "ConnectionResetError", "an idle connection outlived the idle timeout: \(lines)")
        }
    }

    /// With `deregistration_delay.connection_termination.enabled`, a held keep-alive connection
    /// to a deregistered target is cut when the delay ends: its next request is reset.
    func deregistrationCutsHeldFlows() async throws {
        try await deregisterHeldTarget(termination: "true") { topology, askAgain in
            let removed = try await eventually(timeout: 20) { !((try? await topology.lbnet(["status"]).stdout.contains("draining")) ?? true) }
            #expect(removed, "the target was not removed after its deregistration delay")
            #expect(await askAgain() == "ConnectionResetError", "the held connection outlived the deregistration delay")
        }
    }

    /// Without it (AWS's default for TCP), the held connection outlives the delay; then the
    /// target goes (on IPVS once its connection is closed).
    func heldFlowOutlivesTheDelayWithoutTermination() async throws {
        try await deregisterHeldTarget(termination: "false") { topology, askAgain in
            try await Task.sleep(for: .seconds(8))
            #expect(["web-a1", "web-a2"].contains(await askAgain()), "the held connection ended with the deregistration delay")
            let removed = try await eventually(timeout: 20) { !((try? await topology.lbnet(["status"]).stdout.contains("draining")) ?? true) }
            #expect(removed, "the target was not removed once its connection closed")
        }
    }

    /// A held connection to AZ a, then its target deregistered with a 3 s delay and the group's
    /// `deregistration_delay.connection_termination.enabled` set to `termination`.
    private func deregisterHeldTarget(termination: String,
                                      _ body: (TestTopology, () async -> String) async throws -> Void) async throws {
        let attributes = [#"deregistration_delay.connection_termination.enabled: "\#(termination)""#]
        let all = ["web-a1", "web-a2", "web-b1", "web-b2"]
        func file(_ targets: [String]) -> String { yaml(crossZone: "false", groupAttributes: attributes, targets: targets, delay: 3) }
        try await TestTopology.with { topology in
            try await up(topology, file(all))
            try await withHeldConnection(topology) { held, askAgain in
                #expect(["web-a1", "web-a2"].contains(held))
                try await up(topology, file(all.filter { $0 != held }))
                try await withoutActuallyEscaping(askAgain) { ask in try await body(topology, ask) }
            }
        }
    }

    /// By default (`target_health_state.unhealthy.connection_termination.enabled`), the held
    /// connections to a target that turns unhealthy are reset; those to a healthy one work.
    func unhealthyTargetLosesItsFlows() async throws {
        try await withHealthyWebA { topology, webRoot in
            // Eight connections, opened and held idle (python's server waits for their request).
            let script = """
                import socket, sys
                held = [socket.create_connection(("\(Self.elasticIPA)", 80), timeout=20) for _ in range(8)]
                print("open", flush=True)
                sys.stdin.readline()
                for s in held:
                    try:
                        s.sendall(b"GET /name.txt HTTP/1.0\\r\\n\\r\\n"); data = b""
                        while chunk := s.recv(65536): data += chunk
                        print(data.split(b"\\r\\n\\r\\n", 1)[1].decode().strip() if data else "closed", flush=True)
                    except Exception as error:
                        print(type(error).__name__, flush=True)
                """
            try await withClient(topology, script) { ready, finish in
                #expect(ready == "open")
                try FileManager.default.removeItem(atPath: "\(webRoot)/web-a2/health.txt")
                #expect(try await eventually(timeout: 30) {
                    (try? await topology.lbnet(["status"]).stdout.contains("10.0.1.12:8080 (0, unhealthy")) == true
                }, "web-a2 did not turn unhealthy")
                let answers = await finish().split(separator: "\n").map(String.init)
                #expect(answers.count == 8 && !answers.contains("web-a2"), "a flow to the unhealthy target lived on: \(answers)")
                #expect(answers.contains("web-a1") && answers.contains("ConnectionResetError"), "\(answers)")
            }
        }
    }
}
