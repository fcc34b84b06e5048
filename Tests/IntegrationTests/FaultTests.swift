import Foundation
import Testing

/// Faults around a running topology, with the kernel and real clients as witnesses: processes
/// killed, records edited by hand, a namespace deleted behind lbnet's back, a full disk under
/// the state directory. After each, the next `up` converges and `down` removes everything.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct FaultTests {
    static let yaml = FabricTests.twoAZ

    /// An answer from `host`'s server at `address`, asking again while it (re)starts.
    static func answers(_ topology: TestTopology, from client: String, _ address: String) async throws -> String? {
        let answer = try await topology.exec(client, ["curl", "-sS"] + FabricTests.whileStarting + ["--max-time", "5", "http://\(address):8080/"])
        guard answer.status == 0 else { return nil }
        return try targetAnswer(answer.stdout)["instance"] as? String
    }

    @Test func aKilledTargetServerIsStartedAgainAndUpConverges() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            #expect(try await topology.up().status == 0)
            #expect(try await Self.answers(topology, from: "web-a1", "10.0.2.11") == "web-b1")
            let before = try #require(try await topology.pid(of: "web-b1"))
            #expect(try await run(["kill", "-9", String(before)]).status == 0)
            // The daemon's supervisor sees the exit (pidfd) and starts the server again.
            #expect(try await eventually(timeout: 30) { (try await topology.pid(of: "web-b1")).map { $0 != before } ?? false })
            #expect(try await Self.answers(topology, from: "web-a1", "10.0.2.11") == "web-b1")
            let up = try await topology.up()
            #expect(up.status == 0 && up.stdout.contains("No changes"), "\(up.output)")
        }
    }

    @Test func aKilledALBNodeProxyIsStartedAgainAndServesThroughTheElasticIP() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.lbnet(["up", "--wait", "--timeout", "120s"])
            #expect(up.status == 0, "\(up.output)")
            let before = try #require(try Self.supervisedPID("web-alb-local-1a", topology))
            #expect(try await run(["kill", "-9", String(before)]).status == 0)
            #expect(try await eventually(timeout: 30) { try Self.supervisedPID("web-alb-local-1a", topology).map { $0 != before } ?? false })
            #expect(try await eventually(timeout: 30) {
                try await topology.exec("internet", ["curl", "-sf", "--max-time", "3", "http://198.51.100.10/"]).status == 0
            }, "the Elastic IP of AZ a answers through the restarted node")
            let again = try await topology.up()
            #expect(again.status == 0 && again.stdout.contains("No changes"), "\(again.output)")
        }
    }

    /// The pid the daemon's supervisor recorded for process `name` (STATE_DIR/processes.json).
    static func supervisedPID(_ name: String, _ topology: TestTopology) throws -> Int32? {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(topology.stateDirectory)/processes.json"))
        let records = try JSONSerialization.jsonObject(with: data)
        let entries = (records as? [String: Any]).map { Array($0.values) } ?? (records as? [Any]) ?? []
        for case let entry as [String: Any] in entries {
            if (entry["spec"] as? [String: Any])?["name"] as? String == name, let pid = entry["pid"] as? Int { return Int32(pid) }
        }
        return nil
    }

    @Test func aRecordTruncatedByHandIsNamedAndDownStillRemovesEverything() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            #expect(try await topology.up().status == 0)
            let record = "\(topology.stateDirectory)/record.json"
            let text = try String(contentsOfFile: record, encoding: .utf8)
            try String(text.prefix(text.count / 2)).write(toFile: record, atomically: false, encoding: .utf8)
            let up = try await topology.up()
            #expect(up.status != 0, "\(up.output)")
            #expect(up.stderr.contains("record.json"), "the error names the file: \(up.output)")
            let down = try await topology.lbnet(["down"])
            #expect(down.status == 0, "\(down.output)")
            #expect(try await topology.namespaces().isEmpty, "down removes every namespace with the prefix")
            #expect(try await topology.processes().isEmpty)
        }
    }

    @Test func aNamespaceDeletedBehindLbnetsBackIsMadeAgain() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            #expect(try await topology.up().status == 0)
            #expect(try await run(["ip", "netns", "delete", topology.namespace("web-b1")]).status == 0)
            let plan = try await topology.lbnet(["plan", "-f", topology.stateFile])
            #expect(plan.stdout.contains(topology.namespace("web-b1")), "plan shows the namespace made again: \(plan.output)")
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            #expect(try await topology.namespaces().contains(topology.namespace("web-b1")))
            #expect(try await Self.answers(topology, from: "web-a1", "10.0.2.11") == "web-b1", "web-b1's server serves in its new namespace")
            let again = try await topology.up()
            #expect(again.status == 0 && again.stdout.contains("No changes"), "\(again.output)")
        }
    }

    @Test func aFullDiskFailsUpClearlyKeepsTheRecordsAndDownCleansUp() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            try FileManager.default.createDirectory(atPath: topology.stateDirectory, withIntermediateDirectories: true)
            #expect(try await run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", topology.stateDirectory]).status == 0)
            defer { _ = Self.unmount(topology.stateDirectory) }
            #expect(try await topology.up().status == 0)
            let record = try String(contentsOfFile: "\(topology.stateDirectory)/record.json", encoding: .utf8)
            // Fill what is left (dd stops at ENOSPC), then ask for one more instance.
            _ = try await run(["dd", "if=/dev/zero", "of=\(topology.stateDirectory)/filler", "bs=64k"])
            try (Self.yaml + "  - {name: web-b2, subnet: subnet-1b}\n").write(toFile: topology.stateFile, atomically: true, encoding: .utf8)
            let up = try await topology.up()
            #expect(up.status != 0, "\(up.output)")
            #expect(up.stderr.contains("No space left on device"), "the error says why: \(up.output)")
            #expect(try String(contentsOfFile: "\(topology.stateDirectory)/record.json", encoding: .utf8) == record,
                    "the previous record is intact")
            let down = try await topology.lbnet(["down"])
            #expect(down.status == 0, "\(down.output)")
            #expect(try await topology.namespaces().isEmpty)
        }
    }

    private static func unmount(_ path: String) -> Int32 { umount2(path, Int32(MNT_DETACH)) }
}
