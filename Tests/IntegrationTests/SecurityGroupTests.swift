import Foundation
import Testing

/// Security groups on the kernel datapath, with curl as the witness: a target that allows its
/// port only from the ALB's group answers through the ALB and to no one else; the VPC's
/// `default` group lets its members reach each other; a new member of a referenced group is let
/// in by one set element; a removed rule stops new connections; a rule deleted behind lbnet's
/// back is restored by the next `up`.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct SecurityGroupTests {
    static let yaml = """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a, securityGroups: [web-sg]}
          - {name: web-b1, subnet: subnet-1b, securityGroups: [web-sg]}
          - {name: peer-a1, subnet: subnet-1a}
          - {name: peer-b1, subnet: subnet-1b}
          - {name: client, subnet: subnet-1a, securityGroups: [client-sg]}
        elasticIps:
          - {name: eip-a, address: 198.51.100.10}
        loadBalancers:
          - name: web-alb
            type: application
            scheme: internal
            subnets: [subnet-1a, subnet-1b]
            securityGroups: [alb-sg]
            listeners:
              - {protocol: HTTP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}
          - name: edge-nlb
            type: network
            subnetMappings: [{subnetId: subnet-1a, allocationId: eip-a}]
            datapath: nftables
            listeners:
              - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: direct}]}
        targetGroups:
          - name: web
            protocol: HTTP
            port: 8080
            vpc: main
            healthCheck: {path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2}
            targets: [{id: web-a1}, {id: web-b1}]
          - name: direct
            protocol: TCP
            port: 8080
            vpc: main
            healthCheck: {intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2}
            targets: [{id: web-a1}]
        securityGroups:
          - name: alb-sg
            vpc: main
            ingress:
              - {ipProtocol: tcp, fromPort: 80, toPort: 80, cidrIp: 10.0.0.0/16}
          - name: web-sg
            vpc: main
            ingress:
              - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, sourceSecurityGroup: alb-sg, description: only the ALB}
          - name: client-sg
            vpc: main
        """

    static let webA1 = "http://10.0.1.11:8080/"
    static let peerB1 = "http://10.0.2.12:8080/"
    static let elasticIP = "http://198.51.100.10/"
    static let fromALBRule = "lbnet:ingress web-sg 1: tcp 8080 sg alb-sg"

    /// curl's answer, or `nil` when it got none within `timeout` seconds (a dropped SYN times out).
    static func answer(_ topology: TestTopology, from host: String, _ url: String, timeout: Int = 2) async throws -> String? {
        let result = try await topology.exec(host, ["curl", "-sS", "--max-time", String(timeout), url])
        return result.status == 0 ? result.stdout : nil
    }

    /// The instance that answered `url` from `host`, retrying while targets come up.
    static func instance(_ topology: TestTopology, from host: String, _ url: String) async throws -> String? {
        var found: String?
        _ = try await eventually(timeout: 30) {
            guard let text = try await answer(topology, from: host, url) else { return false }
            found = try targetAnswer(text)["instance"] as? String
            return found != nil
        }
        return found
    }

    /// The address of a host's `eth0`, as `ip` sees it.
    static func address(_ topology: TestTopology, _ host: String) async throws -> String {
        let text = try await run(["ip", "-n", topology.namespace(host), "-4", "-o", "addr", "show", "eth0"]).stdout
        let field = try #require(text.split(separator: " ").first { $0.contains("/") }, "no address in \(text)")
        return String(field.split(separator: "/")[0])
    }

    /// The lines of the plan's nftables step for `host`'s security groups: its head and operations.
    static func step(of host: String, in plan: String) -> String {
        let lines = plan.split(separator: "\n", omittingEmptySubsequences: false)
        guard let head = lines.firstIndex(where: { $0.contains("lbnet_security_groups: security groups") && $0.contains(" of \(host) (in") })
        else { return "" }
        let operations = lines[(head + 1)...].prefix { $0.hasPrefix("      ") }
        return ([lines[head]] + operations).joined(separator: "\n")
    }

    static func nft(_ topology: TestTopology, _ host: String, _ arguments: [String]) async throws -> CommandResult {
        try await run(["ip", "netns", "exec", topology.namespace(host), "nft"] + arguments)
    }

    @Test func onlyTheALBsGroupReachesTheTargetsAndDefaultMembersReachEachOther() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            #expect(up.stdout.contains("+ nftables table ip lbnet_security_groups: security groups web-sg of web-a1"), "\(up.stdout)")
            let alb = "http://\(try await Self.address(topology, "web-alb-local-1a"))/"

            // Through the ALB: allowed (client-sg has no ingress, but replies to its own flows pass).
            #expect(try await Self.instance(topology, from: "client", alb)?.hasPrefix("web-") == true)
            // Straight to the target from another instance, or from the internet through an NLB
            // without security groups: the SYN is dropped, curl times out.
            #expect(try await Self.answer(topology, from: "peer-a1", Self.webA1) == nil)
            #expect(try await Self.answer(topology, from: "internet", Self.elasticIP) == nil)
            // The default group: its members reach each other, others do not reach them.
            #expect(try await Self.instance(topology, from: "peer-a1", Self.peerB1) == "peer-b1")
            #expect(try await Self.answer(topology, from: "client", Self.peerB1) == nil)

            let table = try await Self.nft(topology, "web-a1", ["list", "table", "ip", "lbnet_security_groups"]).stdout
            #expect(table.contains("policy drop") && table.contains("ct state established,related accept"), "\(table)")
            #expect(table.contains("set sg_alb-sg") && table.contains(Self.fromALBRule), "\(table)")

            // Status: each interface's groups, what they let in, what was dropped (the SYNs above).
            let status = try await topology.lbnet(["status", "--json"]).stdout
            let report = try #require(try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any], "\(status)")
            let rows = try #require(report["securityGroups"] as? [[String: Any]], "\(status)")
            let webRow = try #require(rows.first { $0["interface"] as? String == "web-a1" }, "\(rows)")
            #expect(webRow["groups"] as? [String] == ["web-sg"] && webRow["kernel"] as? String == "in sync", "\(webRow)")
            #expect((webRow["droppedInbound"] as? Int ?? 0) > 0, "the refused SYNs are counted: \(webRow)")
            #expect(((webRow["allowedInbound"] as? [String: Int])?["web-sg"] ?? 0) > 0, "the ALB's flows are counted: \(webRow)")
            #expect(rows.contains { $0["interface"] as? String == "peer-a1" && $0["groups"] as? [String] == ["default"] })
            #expect(!rows.contains { $0["interface"] as? String == "edge-nlb-local-1a" }, "an NLB without groups has none")
            let text = try await topology.lbnet(["status"]).stdout
            #expect(text.contains("SECURITY GROUPS") && text.contains("web-sg"), "\(text)")

            let again = try await topology.up()
            #expect(again.stdout.contains("No changes"), "\(again.output)")
        }
    }

    @Test func aNewGroupMemberIsOneSetElementAndARemovedRuleStopsNewFlows() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            #expect(try await topology.up().status == 0)
            #expect(try await Self.answer(topology, from: "peer-a1", Self.webA1) == nil)

            // peer-a1 joins alb-sg: web-a1's table changes by one element of sg_alb-sg, no rule.
            try topology.write(Self.yaml.replacingOccurrences(of: "{name: peer-a1, subnet: subnet-1a}",
                                                              with: "{name: peer-a1, subnet: subnet-1a, securityGroups: [default, alb-sg]}"))
            let plan = try await topology.lbnet(["plan", "-f", topology.stateFile]).stdout
            let webA1Step = Self.step(of: "web-a1", in: plan)
            #expect(webA1Step.contains("adding 1 element(s) to map lbnet_security_groups/sg_alb-sg: 0x0a00010c"), "\(plan)")
            #expect(!webA1Step.contains("rule"), "\(plan)")
            #expect(try await topology.up().status == 0)
            #expect(try await Self.instance(topology, from: "peer-a1", Self.webA1) == "web-a1")

            // The rule goes: new connections stop.
            try topology.write(Self.yaml
                .replacingOccurrences(of: "{name: peer-a1, subnet: subnet-1a}", with: "{name: peer-a1, subnet: subnet-1a, securityGroups: [default, alb-sg]}")
                .replacingOccurrences(of: "      - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, sourceSecurityGroup: alb-sg, description: only the ALB}\n", with: ""))
            let removed = try await topology.up()
            #expect(removed.stdout.contains("deleting rule \"\(Self.fromALBRule)\""), "\(removed.output)")
            #expect(try await Self.answer(topology, from: "peer-a1", Self.webA1) == nil)

            // A rule lets the internet in through the NLB: the client's own address, which the NLB
            // preserves for instance targets (the NLB node's subnet would not do).
            try topology.write(Self.yaml.replacingOccurrences(
                of: "sourceSecurityGroup: alb-sg, description: only the ALB}",
                with: "sourceSecurityGroup: alb-sg, description: only the ALB}\n      - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, cidrIp: 100.64.0.0/10}"))
            #expect(try await topology.up().status == 0)
            #expect(try await Self.instance(topology, from: "internet", Self.elasticIP) == "web-a1")
        }
    }

    @Test func aRuleDeletedBehindLbnetsBackIsRestoredByTheNextUp() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            #expect(try await topology.up().status == 0)
            let alb = "http://\(try await Self.address(topology, "web-alb-local-1a"))/"
            #expect(try await Self.instance(topology, from: "client", alb)?.hasPrefix("web-") == true)

            let listing = try await Self.nft(topology, "web-a1", ["-a", "list", "chain", "ip", "lbnet_security_groups", "ingress"]).stdout
            let line = try #require(listing.split(separator: "\n").first { $0.contains(Self.fromALBRule) }, "\(listing)")
            let handle = try #require(line.components(separatedBy: "# handle ").last?.trimmingCharacters(in: .whitespaces))
            let deleted = try await Self.nft(topology, "web-a1", ["delete", "rule", "ip", "lbnet_security_groups", "ingress", "handle", handle])
            #expect(deleted.status == 0, "\(deleted.output)")

            let plan = try await topology.lbnet(["plan", "-f", topology.stateFile])
            #expect(plan.stdout.contains("~ nftables table ip lbnet_security_groups: security groups web-sg of web-a1"), "\(plan.stdout)")
            #expect(plan.stdout.contains("adding rule \"\(Self.fromALBRule)\""), "\(plan.stdout)")
            #expect(try await topology.up().status == 0)
            let restored = try await Self.nft(topology, "web-a1", ["list", "chain", "ip", "lbnet_security_groups", "ingress"]).stdout
            #expect(restored.contains(Self.fromALBRule), "\(restored)")
            #expect(try await topology.up().stdout.contains("No changes"))
        }
    }

    /// A provider NLB with a security group that allows only its own VPC: PrivateLink traffic
    /// (from the endpoint's side of the transit link) is refused while the NLB enforces inbound
    /// rules on it, and passes once `enforceSecurityGroupInboundRulesOnPrivateLinkTraffic` is `off`.
    @Test func theNLBsGroupAppliesToPrivateLinkTrafficAsTheNLBSays() async throws {
        let scenario = PrivateLinkScenario(datapath: "nftables")
        func yaml(enforce: String) -> String {
            scenario.yaml(consumerCIDR: "10.1")
                .replacingOccurrences(of: "    scheme: internal\n",
                                      with: "    scheme: internal\n    securityGroups: [nlb-sg]\n"
                                        + "    enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: \"\(enforce)\"\n")
                .replacingOccurrences(of: "securityGroups:\n  - {name: default",
                                      with: "securityGroups:\n  - {name: nlb-sg, vpc: main, ingress: [{ipProtocol: tcp, fromPort: 80, toPort: 80, cidrIp: 10.0.0.0/16}]}\n  - {name: default")
        }
        try await TestTopology.with { topology in
            let on = yaml(enforce: "on")
            #expect(on.contains("nlb-sg, vpc: main") && on.contains("securityGroups: [nlb-sg]"), "\(on)")
            try await scenario.up(topology, on)
            let url = "http://\(try await scenario.endpointAddress(topology))/"
            // From inside the provider VPC the NLB answers: its group allows 10.0.0.0/16.
            #expect(try await eventually(timeout: 20) { (try? await scenario.answer(topology, from: "web-b1", "http://10.0.1.254/", timeout: 2)) != nil })
            #expect(try await scenario.answer(topology, from: "client-a1", url, timeout: 2) == nil, "PrivateLink traffic passed an enforcing NLB")

            try await scenario.up(topology, yaml(enforce: "off"))
            let node = try await topology.exec("svc-nlb-local-1a", ["nft", "list", "chain", "ip", "lbnet_security_groups", "ingress"]).stdout
            #expect(node.contains("iifname \"pl-*\" accept"), "\(node)")
            #expect(try await eventually(timeout: 15) { (try? await scenario.answer(topology, from: "client-a1", url, timeout: 2)) != nil },
                    "PrivateLink traffic refused although the NLB does not enforce its inbound rules on it")
        }
    }

    @Test func anNLBsGroupFiltersItsListenerOnNFTables() async throws {
        try await Self.networkLoadBalancerGroupFiltersItsListener(NLBScenario(datapath: "nftables"))
    }

    /// An NLB created with a security group: its inbound rules decide who reaches the listener
    /// (checked before the node's NAT), on either datapath; the targets allow the VPC.
    static func networkLoadBalancerGroupFiltersItsListener(_ scenario: NLBScenario) async throws {
        func yaml(source: String) -> String {
            scenario.yaml()
                .replacingOccurrences(of: "    datapath: \(scenario.datapath)\n", with: "    datapath: \(scenario.datapath)\n    securityGroups: [nlb-sg]\n")
                .replacingOccurrences(of: "\nsecurityGroups:\n",
                                      with: "\nsecurityGroups:\n  - {name: nlb-sg, vpc: main, ingress: [{ipProtocol: tcp, fromPort: 80, toPort: 80, cidrIp: \(source)}]}\n")
        }
        try await TestTopology.with { topology in
            let open = yaml(source: "0.0.0.0/0")
            #expect(open.contains("securityGroups: [nlb-sg]") && open.contains("{name: nlb-sg, vpc: main"), "\(open)")
            try await scenario.up(topology, open)
            let url = "http://\(NLBScenario.elasticIPA)/"
            #expect(try await Self.instance(topology, from: "internet", url)?.hasPrefix("web-a") == true)

            // Only the VPC may connect now: the internet's SYNs are dropped, the VPC's pass.
            try await scenario.up(topology, yaml(source: "10.0.0.0/16"))
            #expect(try await Self.answer(topology, from: "internet", url) == nil)
            #expect(try await Self.instance(topology, from: "web-b1", "http://10.0.1.254/")?.hasPrefix("web-a") == true)
            let node = try await Self.nft(topology, "nlb-local-1a", ["list", "chain", "ip", "lbnet_security_groups", "ingress"]).stdout
            #expect(node.contains("ip saddr 10.0.0.0/16 tcp dport 80"), "\(node)")
        }
    }
}

/// The NLB's security group on the IPVS datapath, in the VM (`scripts/vm-test`).
@Suite(.serialized, .enabled(if: isRoot && (NLBScenario.ipvsPresent || NLBScenario.ipvsRequired),
                             "needs root and a kernel with IPVS; scripts/vm-test runs these in a VM"))
struct SecurityGroupIPVSTests {
    @Test func anNLBsGroupFiltersItsListenerOnIPVS() async throws {
        try await SecurityGroupTests.networkLoadBalancerGroupFiltersItsListener(NLBScenario(datapath: "ipvs"))
    }
}
