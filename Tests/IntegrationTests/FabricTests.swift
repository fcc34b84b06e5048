import Foundation
import Testing

/// The fabric end to end: `lbnet up/plan/status/exec/down` on real namespaces, with `ip` and
/// `ps` as witnesses.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct FabricTests {
    static let twoAZ = """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a}
          - {name: web-b1, subnet: subnet-1b}

        """

    /// curl options to ask again while a just started instance's server does not listen yet.
    static let whileStarting = ["--retry", "5", "--retry-connrefused", "--retry-delay", "1"]

    @Test func defaultTopologyReachesAcrossAZsThroughTheRouter() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            #expect(try await topology.namespaces().count == 10)  // router, 4 instances, 2 NLB nodes, 2 ALB nodes, internet

            // web-a1 (AZ a) reaches web-b1 (AZ b, 10.0.2.11) through the VPC router. `up` does not
            // wait for the instances' servers to listen: curl retries while they start.
            let answer = try await run(["ip", "netns", "exec", topology.namespace("web-a1"),
                                  "curl", "-sS"] + Self.whileStarting + ["--max-time", "5", "http://10.0.2.11:8080/"])
            #expect(answer.status == 0, "\(answer.output)")
            let json = try targetAnswer(answer.stdout)
            #expect(json["instance"] as? String == "web-b1")
            #expect(json["availabilityZone"] as? String == "local-1b")
            #expect((json["client"] as? String)?.hasPrefix("10.0.1.11:") == true)

            // The same through `lbnet exec`.
            let viaExec = try await topology.exec("web-b2", ["curl", "-sS"] + Self.whileStarting + ["--max-time", "5", "http://10.0.1.12:8080/"])
            #expect(try targetAnswer(viaExec.stdout)["instance"] as? String == "web-a2")
        }
    }

    @Test func secondUpChangesNothing() async throws {
        try await TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try await topology.up().status == 0)
            // Index and name of every link (carrier flags may still settle; identity may not change).
            func links() async throws -> [String] {
                try await run(["ip", "-n", topology.namespace("vpc.main"), "-o", "link"]).stdout.split(separator: "\n")
                    .map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
            }
            let linksBefore = try await links()
            let pidsBefore = try await run(["ip", "netns", "pids", topology.namespace("web-a1")]).stdout

            let again = try await topology.up()
            #expect(again.status == 0)
            #expect(again.stdout.contains("No changes"), "\(again.output)")
            #expect(try await links() == linksBefore)
            #expect(try await run(["ip", "netns", "pids", topology.namespace("web-a1")]).stdout == pidsBefore)

            let plan = try await topology.lbnet(["plan", "-f", topology.stateFile])
            #expect(plan.stdout.contains("No changes"))
        }
    }

    @Test func addingAnInstanceCreatesOnlyIt() async throws {
        try await TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try await topology.up().status == 0)
            try topology.write(Self.twoAZ + "  - {name: web-a2, subnet: subnet-1a}\n")

            let plan = try await topology.lbnet(["plan", "-f", topology.stateFile])
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            let changed = up.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
            #expect(!changed.isEmpty)
            // Besides web-a2's own objects, only the default group's set in its other members' tables.
            let membership = "~ nftables table ip lbnet_security_groups: security groups default of web-"
            for (index, line) in changed.enumerated() where !line.hasPrefix("      ") {
                guard line.contains(membership) else {
                    #expect(line.contains("web-a2"), "\(up.stdout)")
                    continue
                }
                let operations = changed[(index + 1)...].prefix { $0.hasPrefix("      ") }.map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(operations == ["adding 1 element(s) to map lbnet_security_groups/sg_default: 0x0a00010c"], "\(up.stdout)")
            }
            #expect(plan.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") } == changed)

            let answer = try await topology.exec("web-b1", ["curl", "-sS"] + Self.whileStarting + ["--max-time", "5", "http://10.0.1.12:8080/"])
            #expect(try targetAnswer(answer.stdout)["instance"] as? String == "web-a2")
        }
    }

    @Test func removingAnInstanceDeletesItsNamespace() async throws {
        try await TestTopology.with(yaml: Self.twoAZ + "  - {name: web-a2, subnet: subnet-1a}\n") { topology in
            #expect(try await topology.up().status == 0)
            try topology.write(Self.twoAZ)
            let up = try await topology.up()
            #expect(up.stdout.contains("- namespace \(topology.namespace("web-a2"))"), "\(up.output)")
            #expect(!(try await topology.namespaces()).contains(topology.namespace("web-a2")))
            #expect(!(try await run(["ip", "-n", topology.namespace("vpc.main"), "link"]).stdout.contains("v-web-a2")))
        }
    }

    @Test func downRemovesEverythingEvenWithoutTheStateFile() async throws {
        try await TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try await topology.up().status == 0)
            #expect(!(try await topology.processes()).isEmpty)
            try FileManager.default.removeItem(atPath: topology.stateFile)

            let down = try await topology.lbnet(["down"])
            #expect(down.status == 0, "\(down.output)")
            #expect(try await topology.namespaces().isEmpty)
            #expect(try await topology.processes().isEmpty)
            let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            #expect(!mounts.contains("/run/netns/\(topology.prefix)-"))
            #expect(!FileManager.default.fileExists(atPath: topology.stateDirectory + "/record.json"))
        }
    }

    @Test func invalidFileChangesNothing() async throws {
        try await TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try await topology.up().status == 0)
            let before = try await topology.namespaces()
            try topology.write(Self.twoAZ.replacingOccurrences(of: "10.0.2.0/24", with: "10.1.0.0/24")
                + "  - {name: web-a9, subnet: subnet-1a}\n")
            let up = try await topology.up()
            #expect(up.status != 0)
            #expect(up.stderr.contains("vpcs[0].subnets[1].cidr"), "\(up.output)")
            #expect(up.stderr.contains("outside the VPC's 10.0.0.0/16"), "\(up.output)")
            #expect(try await topology.namespaces() == before)
        }
    }

    @Test func statusShowsEveryObjectAsTableAndJSON() async throws {
        try await TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try await topology.up().status == 0)
            let table = try await topology.lbnet(["status"])
            #expect(table.status == 0, "\(table.output)")
            for text in ["main", "subnet-1a", "local-1b", "web-a1", "10.0.2.11/24", "running (pid", "internet"] {
                #expect(table.stdout.contains(text), "missing \(text) in\n\(table.stdout)")
            }
            let json = try await topology.lbnet(["status", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let hosts = try #require(object["hosts"] as? [[String: Any]])
            #expect(hosts.compactMap { $0["name"] as? String }.sorted() == ["internet", "web-a1", "web-b1"])
            #expect(hosts.first { $0["name"] as? String == "web-a1" }?["process"] as? String == "running")
        }
    }

    @Test func supervisorRestartsAnInstanceThatDies() async throws {
        try await TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try await topology.up().status == 0)
            let first = try await run(["ip", "netns", "pids", topology.namespace("web-a1")]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!first.isEmpty)
            try await run(["kill", "-9", first])
            let restarted = try await eventually {
                let now = (try? await run(["ip", "netns", "pids", topology.namespace("web-a1")]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? ""
                return !now.isEmpty && now != first
            }
            #expect(restarted)
            let answer = try await topology.exec("web-b1", ["curl", "-sS", "--retry", "5", "--retry-connrefused", "--retry-delay", "1", "--max-time", "10", "http://10.0.1.11:8080/health"])
            #expect(answer.stdout == "ok", "\(answer.output)")
        }
    }

    @Test func killedUpConvergesAndDownCleansUp() async throws {
        try await TestTopology.with(yaml: Self.twoAZ) { topology in
            // Kill `up` at several points of its apply; each next `up` must converge.
            for delay in [0.05, 0.15, 0.3] {
                let up = try ChildProcess([lbnetBinary, "up", "-f", topology.stateFile, "--state-dir", topology.stateDirectory,
                                           "--prefix", topology.prefix, "--api-listen", "127.0.0.1:0"])
                try await Task.sleep(for: .seconds(delay))
                up.signal(SIGKILL)
                await up.wait()
                let next = try await topology.up()
                #expect(next.status == 0, "after a kill at \(delay)s: \(next.output)")
                #expect(try await topology.up().stdout.contains("No changes"))
                try await topology.lbnet(["down"])
                #expect(try await topology.namespaces().isEmpty)
            }
        }
    }
}
