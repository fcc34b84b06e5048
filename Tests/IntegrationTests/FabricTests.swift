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

    @Test func defaultTopologyReachesAcrossAZsThroughTheRouter() throws {
        try TestTopology.with { topology in
            let up = try topology.up()
            #expect(up.status == 0, "\(up.output)")
            #expect(try topology.namespaces().count == 10)  // router, 4 instances, 2 NLB nodes, 2 ALB nodes, internet

            // web-a1 (AZ a) reaches web-b1 (AZ b, 10.0.2.11) through the VPC router.
            let answer = try run(["ip", "netns", "exec", topology.namespace("web-a1"),
                                  "curl", "-sS", "--max-time", "5", "http://10.0.2.11:8080/"])
            #expect(answer.status == 0, "\(answer.output)")
            let json = try targetAnswer(answer.stdout)
            #expect(json["instance"] as? String == "web-b1")
            #expect(json["availabilityZone"] as? String == "local-1b")
            #expect((json["client"] as? String)?.hasPrefix("10.0.1.11:") == true)

            // The same through `lbnet exec`.
            let viaExec = try topology.exec("web-b2", ["curl", "-sS", "--max-time", "5", "http://10.0.1.12:8080/"])
            #expect(try targetAnswer(viaExec.stdout)["instance"] as? String == "web-a2")
        }
    }

    @Test func secondUpChangesNothing() throws {
        try TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try topology.up().status == 0)
            // Index and name of every link (carrier flags may still settle; identity may not change).
            func links() throws -> [String] {
                try run(["ip", "-n", topology.namespace("vpc.main"), "-o", "link"]).stdout.split(separator: "\n")
                    .map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
            }
            let linksBefore = try links()
            let pidsBefore = try run(["ip", "netns", "pids", topology.namespace("web-a1")]).stdout

            let again = try topology.up()
            #expect(again.status == 0)
            #expect(again.stdout.contains("No changes"), "\(again.output)")
            #expect(try links() == linksBefore)
            #expect(try run(["ip", "netns", "pids", topology.namespace("web-a1")]).stdout == pidsBefore)

            let plan = try topology.lbnet(["plan", "-f", topology.stateFile])
            #expect(plan.stdout.contains("No changes"))
        }
    }

    @Test func addingAnInstanceCreatesOnlyIt() throws {
        try TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try topology.up().status == 0)
            try topology.write(Self.twoAZ + "  - {name: web-a2, subnet: subnet-1a}\n")

            let plan = try topology.lbnet(["plan", "-f", topology.stateFile])
            let up = try topology.up()
            #expect(up.status == 0, "\(up.output)")
            let changed = up.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
            #expect(!changed.isEmpty)
            #expect(changed.allSatisfy { $0.contains("web-a2") }, "\(up.stdout)")
            #expect(plan.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") } == changed)

            let answer = try topology.exec("web-b1", ["curl", "-sS", "--max-time", "5", "http://10.0.1.12:8080/"])
            #expect(try targetAnswer(answer.stdout)["instance"] as? String == "web-a2")
        }
    }

    @Test func removingAnInstanceDeletesItsNamespace() throws {
        try TestTopology.with(yaml: Self.twoAZ + "  - {name: web-a2, subnet: subnet-1a}\n") { topology in
            #expect(try topology.up().status == 0)
            try topology.write(Self.twoAZ)
            let up = try topology.up()
            #expect(up.stdout.contains("- namespace \(topology.namespace("web-a2"))"), "\(up.output)")
            #expect(!(try topology.namespaces()).contains(topology.namespace("web-a2")))
            #expect(!(try run(["ip", "-n", topology.namespace("vpc.main"), "link"]).stdout.contains("v-web-a2")))
        }
    }

    @Test func downRemovesEverythingEvenWithoutTheStateFile() throws {
        try TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try topology.up().status == 0)
            #expect(!(try topology.processes()).isEmpty)
            try FileManager.default.removeItem(atPath: topology.stateFile)

            let down = try topology.lbnet(["down"])
            #expect(down.status == 0, "\(down.output)")
            #expect(try topology.namespaces().isEmpty)
            #expect(try topology.processes().isEmpty)
            let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            #expect(!mounts.contains("/run/netns/\(topology.prefix)-"))
            #expect(!FileManager.default.fileExists(atPath: topology.stateDirectory + "/record.json"))
        }
    }

    @Test func invalidFileChangesNothing() throws {
        try TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try topology.up().status == 0)
            let before = try topology.namespaces()
            try topology.write(Self.twoAZ.replacingOccurrences(of: "10.0.2.0/24", with: "10.1.0.0/24")
                + "  - {name: web-a9, subnet: subnet-1a}\n")
            let up = try topology.up()
            #expect(up.status != 0)
            #expect(up.stderr.contains("vpcs[0].subnets[1].cidr"), "\(up.output)")
            #expect(up.stderr.contains("outside the VPC's 10.0.0.0/16"), "\(up.output)")
            #expect(try topology.namespaces() == before)
        }
    }

    @Test func statusShowsEveryObjectAsTableAndJSON() throws {
        try TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try topology.up().status == 0)
            let table = try topology.lbnet(["status"])
            #expect(table.status == 0, "\(table.output)")
            for text in ["main", "subnet-1a", "local-1b", "web-a1", "10.0.2.11/24", "running (pid", "internet"] {
                #expect(table.stdout.contains(text), "missing \(text) in\n\(table.stdout)")
            }
            let json = try topology.lbnet(["status", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let hosts = try #require(object["hosts"] as? [[String: Any]])
            #expect(hosts.compactMap { $0["name"] as? String }.sorted() == ["internet", "web-a1", "web-b1"])
            #expect(hosts.first { $0["name"] as? String == "web-a1" }?["process"] as? String == "running")
        }
    }

    @Test func supervisorRestartsAnInstanceThatDies() throws {
        try TestTopology.with(yaml: Self.twoAZ) { topology in
            #expect(try topology.up().status == 0)
            let first = try run(["ip", "netns", "pids", topology.namespace("web-a1")]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!first.isEmpty)
            try run(["kill", "-9", first])
            let restarted = eventually {
                let now = (try? run(["ip", "netns", "pids", topology.namespace("web-a1")]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? ""
                return !now.isEmpty && now != first
            }
            #expect(restarted)
            let answer = try topology.exec("web-b1", ["curl", "-sS", "--retry", "5", "--retry-connrefused", "--retry-delay", "1", "--max-time", "10", "http://10.0.1.11:8080/health"])
            #expect(answer.stdout == "ok", "\(answer.output)")
        }
    }

    @Test func killedUpConvergesAndDownCleansUp() throws {
        try TestTopology.with(yaml: Self.twoAZ) { topology in
            // Kill `up` at several points of its apply; each next `up` must converge.
            for delay in [0.05, 0.15, 0.3] {
                let up = try ChildProcess([lbnetBinary, "up", "-f", topology.stateFile, "--state-dir", topology.stateDirectory,
                                           "--prefix", topology.prefix])
                usleep(useconds_t(delay * 1_000_000))
                up.signal(SIGKILL)
                up.wait()
                let next = try topology.up()
                #expect(next.status == 0, "after a kill at \(delay)s: \(next.output)")
                #expect(try topology.up().stdout.contains("No changes"))
                try topology.lbnet(["down"])
                #expect(try topology.namespaces().isEmpty)
            }
        }
    }
}
