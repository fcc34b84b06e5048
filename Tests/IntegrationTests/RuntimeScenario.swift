import Foundation
import Testing

/// The one plan and the one runtime, on each datapath (nftables on this host, IPVS in the VM):
/// every owned object altered by hand shows in `plan` as exactly its repair and `up` makes it;
/// an unhealthy target leaves the datapath through the daemon without a reconcile; a killed
/// daemon leaves established flows alone and the next `up` converges.
struct RuntimeScenario {
    let nlb: NLBScenario
    var datapath: String { nlb.datapath }

    /// The first line of each change `plan` lists (nftables and IPVS steps add indented details).
    func planned(_ topology: TestTopology) async throws -> [String] {
        let plan = try await topology.lbnet(["plan", "-f", topology.stateFile])
        #expect(plan.status == 0, "\(plan.output)")
        return plan.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("      ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Runs `command` in namespace `namespace` and checks it worked.
    func alter(_ topology: TestTopology, in namespace: String, _ command: [String]) async throws {
        let result = try await run(["ip", "netns", "exec", topology.namespace(namespace)] + command)
        #expect(result.status == 0, "\(command.joined(separator: " ")): \(result.output)")
    }

    /// Alters one owned object, expects `plan` to list exactly `expected` (line prefixes), then
    /// `up` to make it and a second `plan` to be empty.
    func repairs(_ topology: TestTopology, _ what: String, in namespace: String, _ command: [String], expected: [String]) async throws {
        try await alter(topology, in: namespace, command)
        let lines = try await planned(topology)
        #expect(lines.count == expected.count && zip(lines, expected).allSatisfy { $0.hasPrefix($1) },
                "after \(what), plan listed \(lines), expected \(expected)")
        let up = try await topology.up()
        #expect(up.status == 0, "\(up.output)")
        #expect(try await planned(topology).isEmpty, "after repairing \(what), plan is not empty")
    }

    func driftIsPlannedAndRepaired() async throws {
        try await TestTopology.with { topology in
            try await nlb.up(topology, nlb.yaml())
            let node = "nlb-local-1a"
            #expect(try await planned(topology).isEmpty)
            try await repairs(topology, "a changed sysctl", in: "vpc.main", ["sysctl", "-qw", "net.ipv4.ip_forward=0"],
                              expected: ["~ sysctl net.ipv4.ip_forward=1 (in \(topology.namespace("vpc.main")))"])
            try await repairs(topology, "a link set down", in: "vpc.main", ["ip", "link", "set", "v-web-a1", "down"],
                              expected: ["~ link v-web-a1 (in \(topology.namespace("vpc.main"))): up, master br-subnet-1a"])
            try await repairs(topology, "a deleted gateway table", in: "vpc.main", ["nft", "delete", "table", "ip", "lbnet_gateway"],
                              expected: ["+ nftables table ip lbnet_gateway: elastic IP NAT of VPC main"])
            if datapath == "ipvs" {
                try await repairs(topology, "a deleted IPVS destination", in: node,
                                  ["ipvsadm", "-d", "-t", "10.0.1.254:80", "-r", "10.0.1.11:8080"],
                                  expected: ["~ ipvs services of \(node)"])
                try await repairs(topology, "a changed IPVS sysctl", in: node, ["sysctl", "-qw", "net.ipv4.vs.conntrack=0"],
                                  expected: ["~ sysctl net.ipv4.vs.conntrack=1"])
                try await repairs(topology, "a deleted source NAT table", in: node, ["nft", "delete", "table", "ip", "lbnet_ipvs_snat"],
                                  expected: ["+ nftables table ip lbnet_ipvs_snat: source NAT of IPVS node \(node)"])
            } else {
                try await repairs(topology, "a deleted map element", in: node,
                                  ["nft", "delete", "element", "ip", "lbnet_nlb", "backends_tcp_80", "{ 0x00000000 }"],
                                  expected: ["~ nftables table ip lbnet_nlb: nftables datapath of \(node)"])
                try await repairs(topology, "a deleted node table", in: node, ["nft", "delete", "table", "ip", "lbnet_nlb"],
                                  expected: ["+ nftables table ip lbnet_nlb: nftables datapath of \(node)"])
            }
            // An edited ALB-less topology has no config files; a killed target comes back by itself.
            let before = try #require(try await pid(of: "web-a1", topology))
            #expect(try await run(["kill", "-9", String(before)]).status == 0)
            #expect(try await eventually(timeout: 30) { try await pid(of: "web-a1", topology).map { $0 != before } ?? false },
                    "the supervisor did not restart a killed target server")
            #expect(try await planned(topology).isEmpty)
            let answered = try await nlb.answers(topology, NLBScenario.elasticIPA, count: 8)
            #expect(!answered.isEmpty, "nothing answered after the repairs")
        }
    }

    /// Switching a live NLB's datapath removes the old datapath's objects (IPVS kernels only).
    func datapathSwitchRemovesTheOldDatapath() async throws {
        try await TestTopology.with { topology in
            let ipvs = NLBScenario(datapath: "ipvs"), nft = NLBScenario(datapath: "nftables")
            try await nft.up(topology, nft.yaml())
            let node = topology.namespace("nlb-local-1a")
            try await ipvs.up(topology, ipvs.yaml())
            var tables = try await run(["ip", "netns", "exec", node, "nft", "list", "tables"]).stdout
            #expect(!tables.contains("lbnet_nlb") && tables.contains("lbnet_ipvs_snat"), "\(tables)")
            #expect(try await run(["ip", "netns", "exec", node, "ipvsadm", "-Ln"]).stdout.contains("10.0.1.254:80"))
            #expect(try await nlb.answers(topology, NLBScenario.elasticIPA, count: 6).keys.allSatisfy { $0.hasPrefix("web-a") })
            try await nft.up(topology, nft.yaml())
            tables = try await run(["ip", "netns", "exec", node, "nft", "list", "tables"]).stdout
            #expect(tables.contains("lbnet_nlb") && !tables.contains("lbnet_ipvs_snat"), "\(tables)")
            #expect(!(try await run(["ip", "netns", "exec", node, "ipvsadm", "-Ln"]).stdout.contains("10.0.1.254:80")))
            #expect(try await planned(topology).isEmpty)
        }
    }

    func unhealthyTargetLeavesWithoutAReconcile() async throws {
        try await TestTopology.with { topology in
            let webRoot = try nlb.webRoot(for: topology)
            defer { try? FileManager.default.removeItem(atPath: webRoot) }
            try await nlb.up(topology, nlb.healthYAML(webRoot: webRoot))
            #expect(try await eventually(timeout: 60) { (try? await nlb.servers(topology)) == ["web-a1", "web-a2"] })
            let before = try await daemonCounters(topology)
            // interval 5 s x threshold 2, plus one interval and a check's timeout.
            try FileManager.default.removeItem(atPath: "\(webRoot)/web-a2/health.txt")
            #expect(try await eventually(timeout: 20) { (try? await nlb.servers(topology)) == ["web-a1"] }, "web-a2 stayed in rotation")
            let after = try await daemonCounters(topology)
            #expect(after.reconciles == before.reconciles, "a health change ran a reconcile")
            #expect(after.datapathUpdates > before.datapathUpdates, "no datapath update was counted")
            let log = (try? String(contentsOfFile: topology.stateDirectory + "/daemon.log", encoding: .utf8)) ?? ""
            #expect(log.contains("datapath updated without a reconcile"), "\(log.suffix(2000))")
        }
    }

    func killedDaemonKeepsFlowsAndTheNextUpConverges() async throws {
        try await TestTopology.with { topology in
            try await nlb.up(topology, nlb.yaml())
            let targets = try #require(try await pid(of: "web-a1", topology))
            let daemon = try await daemonPID(topology)
            // One keep-alive connection through the Elastic IP: ten requests, then it says so and
            // goes on asking while the daemon is killed and until it is gone, then ten more.
            // Counted in requests, not seconds, so a slow machine asks as many.
            let script = """
                import http.client, time
                def alive(pid):
                    try:
                        with open(f"/proc/{pid}/stat") as f: return f.read().rsplit(") ", 1)[1][0] != "Z"
                    except OSError:
                        return False
                c = http.client.HTTPConnection("\(NLBScenario.elasticIPA)", 80, timeout=5)
                ok = failed = 0
                def ask():
                    global ok, failed
                    try:
                        c.request("GET", "/"); c.getresponse().read(); ok += 1
                    except Exception:
                        failed += 1
                    time.sleep(0.05)
                for _ in range(10): ask()
                print("asking", flush=True)
                while alive(\(daemon)): ask()
                for _ in range(10): ask()
                print(ok, failed, flush=True)
                """
            let output = ChildProcess.pipe()
            let client = try ChildProcess(["ip", "netns", "exec", topology.namespace("internet"), "python3", "-c", script], stdout: output.write)
            close(output.write)
            let reader = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
            try await client.killed { () async throws in
                let first = String(decoding: await onOwnThread { reader.availableData }, as: UTF8.self)
                #expect(first.hasPrefix("asking"), "the client said: \(first)")
                #expect(try await run(["kill", "-9", String(daemon)]).status == 0)
                await client.wait(timeout: 120)
                let counts = String(decoding: await onOwnThread { reader.readDataToEndOfFile() }, as: UTF8.self)
                    .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
                #expect(counts.count == 2 && counts[0] >= 20 && counts[1] == 0, "requests ok/failed around the kill: \(counts)")
            }
            let up = try await topology.up()
            #expect(up.status == 0 && up.stdout.contains("No changes"), "\(up.output)")
            #expect(try await daemonPID(topology) != daemon)
            #expect(try await pid(of: "web-a1", topology) == targets, "the new daemon started the target server again")
        }
    }

    func pid(of host: String, _ topology: TestTopology) async throws -> Int32? { try await topology.pid(of: host) }

    func daemonCounters(_ topology: TestTopology) async throws -> (reconciles: Int, datapathUpdates: Int) {
        let json = try await topology.lbnet(["status", "--json"]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json)")
        let daemon = try #require(object["daemon"] as? [String: Any], "no daemon in status: \(json)")
        return (try #require(daemon["reconciles"] as? Int), try #require(daemon["datapathUpdates"] as? Int))
    }

    func daemonPID(_ topology: TestTopology) async throws -> Int32 {
        let text = try String(contentsOfFile: topology.stateDirectory + "/daemon.lock", encoding: .utf8)
        return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
