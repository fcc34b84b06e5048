import Foundation
import Orchestrator
import Testing

/// `lbnet status --format` on a real default topology.
@Suite(.enabled(if: isRoot, rootSkipReason))
struct StatusPictureTests {
    @Test func statusDrawsTheDefaultTopology() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.up(useFile: false)
            try #require(up.status == 0, "\(up.output)")
            let dot = try await topology.lbnet(["status", "--format", "dot"])
            #expect(dot.status == 0 && dot.stdout.hasPrefix("digraph \"lbnet\" {"), "\(dot.output)")
            for text in ["\"host internet\" -> \"host web-nlb-local-1a\"", "label=\"198.51.100.10\"", "\"group web-instances\" -> \"host web-b2\""] {
                #expect(dot.stdout.contains(text), "the picture lacks \(text)")
            }
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") {
                let svg = try await topology.lbnet(["status", "--format", "svg"])
                #expect(svg.status == 0 && svg.stdout.contains("<svg") && svg.stdout.contains("198.51.100.11"), "\(svg.stderr)")
            }
            // Without Graphviz, svg fails in one line naming the program; dot still works.
            let noGraphviz = try await run(["env", "PATH=/nonexistent", lbnetBinary, "status", "--format", "svg",
                                            "--state-dir", topology.stateDirectory, "--prefix", topology.prefix])
            #expect(noGraphviz.status != 0 && noGraphviz.stdout.isEmpty)
            #expect(noGraphviz.stderr.hasPrefix("lbnet: --format svg draws the picture with Graphviz's 'dot' program, which is not on PATH")
                    && noGraphviz.stderr.split(separator: "\n").count == 1, "\(noGraphviz.stderr)")
            // --json stays an alias of --format json.
            let json = try await topology.lbnet(["status", "--json"])
            let decoded = try JSONDecoder().decode(StatusReport.self, from: Data(json.stdout.utf8))
            #expect(decoded.networkLoadBalancerNodes.first?.listeners.first?.targetGroup == "web-alb-target")
            let formatJSON = try await topology.lbnet(["status", "--format", "json"])
            #expect(try JSONDecoder().decode(StatusReport.self, from: Data(formatJSON.stdout.utf8)).vpcs == decoded.vpcs)
            #expect(try await topology.lbnet(["status", "--json", "--format", "dot"]).status != 0)
        }
    }
}

/// `lbnet --version` (needs no root).
struct VersionTests {
    @Test func versionIsTheConstant() async throws {
        let version = try await run([lbnetBinary, "--version"])
        #expect(version.status == 0 && version.stdout == LBNetVersion.current + "\n", "\(version.output)")
    }
}
