import Foundation
import Testing

/// NLB attributes with traffic as the witness: source-IP stickiness, deletion protection, and
/// refused attributes that change nothing.
extension NLBScenario {
    /// `yaml()` with cross-zone on and the target group's `attributes` (YAML lines under it).
    func yaml(crossZone: String = "true", groupAttributes: [String], lbAttributes: String = "") -> String {
        yaml(crossZone: crossZone).replacingOccurrences(of: """
                attributes:
                  deregistration_delay.timeout_seconds: "300"
            """, with: """
                attributes:
                  deregistration_delay.timeout_seconds: "300"
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

            try await up(topology, yaml(groupAttributes: [#"stickiness.enabled: "true""#, "stickiness.type: source_ip"]))
            let sticky = try await instances(topology, Self.elasticIPA, fromPorts: Array(41101...41116))
            #expect(sticky.count == 16 && !sticky.contains("-") && Set(sticky).count == 1,
                    "flows of one client reached several targets: \(sticky)")
            // Clients with other addresses (the instances, to the node's private address) spread.
            var targets: Set<String> = []
            for client in ["web-a1", "web-a2", "web-b1", "web-b2"] {
                let seen = try await instances(topology, from: client, "10.0.1.254", count: 6)
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
                (#"proxy_protocol_v2.enabled: "true""#, "lbnet does not implement proxy_protocol_v2.enabled"),
                (#"stickiness.type: lb_cookie"#, "Stickiness type 'lb_cookie' is not supported for target groups with the TCP protocol"),
            ] {
                try topology.write(yaml(groupAttributes: [attribute]))
                let refused = try await topology.up()
                #expect(refused.status != 0)
                #expect(refused.output.contains(message), "\(refused.output)")
            }
            #expect(try await datapathState(topology) == before)
        }
    }
}
