import Foundation
import Kernel
import Orchestrator
import Testing

/// The binary `scripts/build-static` builds (the one the Containerfile copies):
/// `$LBNET_STATIC_BINARY`, else `.build/lbnet-static` of this package.
enum StaticBinary {
    static let path: String = ProcessInfo.processInfo.environment["LBNET_STATIC_BINARY"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/lbnet-static").path

    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: path) }
}

/// lbnet as a privileged container runs it: the static binary, with the default state
/// directory and names, inside new mount, network and PID namespaces with their own `/run` and
/// the state directory on a "volume" (`ContainerSandbox`).
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason),
       .enabled(if: StaticBinary.isBuilt, "no static binary at \(StaticBinary.path): run scripts/build-static (scripts/test does) or set LBNET_STATIC_BINARY"))
struct ContainerTests {
    let lbnet = StaticBinary.path

    @Test func theStaticBinaryNeedsNoSwiftRuntime() async throws {
        let libraries = try await run(["ldd", lbnet])
        #expect(libraries.status == 0, "\(libraries.output)")
        #expect(!libraries.stdout.contains("libswift") && !libraries.stdout.contains("Foundation"), "\(libraries.stdout)")
        #expect(try await run([lbnet, "--version"]).stdout == LBNetVersion.current + "\n")
    }

    @Test func theDefaultTopologyAnswersThroughAnElasticIPAndLeavesNothingOnDown() async throws {
        try await TopologySlots.shared.withSlot {
            let hostBefore = Set(NetworkNamespace.list())
            try await ContainerSandbox.with { try await checkLifecycle(in: $0, hostBefore: hostBefore) }
        }
    }

    /// A container on a host without the ip_vs module: `datapath: ipvs` is refused in one line
    /// that says where to load it, and nothing is created.
    @Test(.enabled(if: !NLBScenario.ipvsPresent, "this kernel has IPVS"))
    func ipvsWithoutTheModuleIsRefusedInOneLine() async throws {
        let file = "/tmp/lbnet-container-ipvs-\(UUID().uuidString.prefix(8)).yaml"
        try StateFileLoader.defaultTopologyYAML.replacingOccurrences(of: "type: network", with: "type: network\n    datapath: ipvs")
            .write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await ContainerSandbox.with { sandbox in
            let up = try await sandbox.run([lbnet, "up", "-f", file])
            #expect(up.status != 0 && up.stdout.isEmpty)
            #expect(up.stderr == "lbnet: loadBalancers: 'web-nlb' asks for datapath: ipvs, but this kernel has no IPVS "
                    + "(load it with 'modprobe ip_vs', on the host when lbnet runs in a container, or use datapath: auto or nftables)\n")
            #expect(try await sandbox.run(["ls", "-A", "/run/netns"]).stdout.isEmpty)
        }
    }

    private func checkLifecycle(in sandbox: ContainerSandbox, hostBefore: Set<String>) async throws {
        let up = try await sandbox.run([lbnet, "up"])
        try #require(up.status == 0, "\(up.output)")
        let inside = try await sandbox.run(["ip", "netns", "list"]).stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(inside.contains("lbnet-vpc.main") && inside.contains("lbnet-internet"), "\(inside)")
        // Namespaces are mounted under the container's /run/netns only.
        let leaked = Set(NetworkNamespace.list()).subtracting(hostBefore).intersection(inside)
        #expect(leaked.isEmpty, "on the host's /run/netns: \(leaked)")
        #expect(FileManager.default.fileExists(atPath: sandbox.volume + "/record.json"), "the state directory is not on the volume")

        for (elasticIP, zone) in [("198.51.100.10", "web-a"), ("198.51.100.11", "web-b")] {
            let answer = try await sandbox.run([lbnet, "exec", "internet", "--", "curl", "-sS", "--max-time", "10", "http://\(elasticIP)/"])
            #expect(answer.status == 0, "\(answer.output)")
            let instance = try targetAnswer(answer.stdout)["instance"] as? String
            #expect(instance?.hasPrefix(zone) == true, "\(elasticIP) answered \(answer.stdout)")
        }
        #expect(try await sandbox.run([lbnet, "status"]).stdout.contains("daemon: running"))

        let down = try await sandbox.run([lbnet, "down"])
        #expect(down.status == 0, "\(down.output)")
        #expect(try await sandbox.run(["ls", "-A", "/run/netns"]).stdout.isEmpty, "namespaces left inside the container")
        // Zombies (state Z) have exited: the sandbox's PID 1 is `sleep`, which reaps nobody
        // (`docker run --init` does).
        let processes = try await sandbox.run(["ps", "-eo", "stat=,comm="]).stdout.split(separator: "\n")
            .filter { !$0.hasPrefix("Z") }
        #expect(!processes.contains { $0.contains("lbnet") }, "processes left: \(processes)")
        #expect(Set(NetworkNamespace.list()).subtracting(hostBefore).intersection(inside).isEmpty)
        // `down` keeps the Elastic IP allocations on the volume, as it does outside a container.
        #expect(FileManager.default.fileExists(atPath: sandbox.volume + "/elastic-ips.json"))
    }
}
