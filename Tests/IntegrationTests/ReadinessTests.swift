import Foundation
import Orchestrator
import Testing

/// `up --wait` and `status` for users without root: what a CI job and a person at a desk rely
/// on after `up`.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct ReadinessTests {
    /// The default topology is ready within seconds (its health checks are short), and then
    /// every target is out of `initial` and the Elastic IPs answer; `status` shows it to
    /// `nobody`, as a table and as JSON.
    @Test func defaultTopologyIsReadyAndItsStatusIsReadableWithoutRoot() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.lbnet(["up", "--wait", "--timeout", "90s"])
            #expect(up.status == 0, "\(up.output)")
            #expect(up.stdout.hasSuffix("Ready.\n"), "\(up.output)")
            let nobody = try await UnprivilegedUser.prepare()
            let table = try await nobody.run(topology, ["status"])
            #expect(table.status == 0, "\(table.output)")
            for text in ["web-nlb-local-1a", "198.51.100.10", "web-alb-local-1b", "web-b2", "healthy", "daemon: running"] {
                #expect(table.stdout.contains(text), "status as nobody lacks \(text):\n\(table.output)")
            }
            let json = try await nobody.run(topology, ["status", "--json"])
            let report = try JSONDecoder().decode(StatusReport.self, from: Data(json.stdout.utf8))
            #expect(report.notReady.isEmpty, "\(report.notReady)")
            #expect(report.applicationLoadBalancers.targets.count >= 4)
            #expect(report.applicationLoadBalancers.targets.allSatisfy { $0.state == "healthy" })
            #expect(try await ALBBehindNLBScenario.path(topology, NLBScenario.elasticIPA) != nil)
            #expect(try await ALBBehindNLBScenario.path(topology, NLBScenario.elasticIPB) != nil)
        }
    }

    /// A target that never answers keeps `up --wait` from returning ready: after the timeout it
    /// exits non-zero and names that target with its state and reason.
    @Test func waitTimesOutNamingATargetThatNeverAnswers() async throws {
        let yaml = StateFileLoader.defaultTopologyYAML
            .replacingOccurrences(of: "  - name: web-b2\n    subnet: subnet-1b\n    securityGroups: [web-sg]\n",
                                  with: "  - name: web-b2\n    subnet: subnet-1b\n    run: [sleep, infinity]\n    securityGroups: [web-sg]\n")
            .replacingOccurrences(of: "      path: /health\n", with: "      path: /health\n      unhealthyThresholdCount: 10\n")
        #expect(yaml.contains("sleep") && yaml.contains("unhealthyThresholdCount"))
        try await TestTopology.with(yaml: yaml) { topology in
            let up = try await topology.lbnet(["up", "-f", topology.stateFile, "--wait", "--timeout", "12s"])
            #expect(up.status != 0, "\(up.output)")
            #expect(up.stdout.contains("Not ready after 12s:"), "\(up.output)")
            // web-b2 is named; what else waits is in its zone (the NLB's checks of that zone's ALB
            // node may meet web-b2 while the node fails open), never in the other.
            let waiting = up.stdout.components(separatedBy: "Not ready after 12s:").last?.split(separator: "\n") ?? []
            #expect(waiting.contains { $0.contains("target web-b2") && $0.contains("initial (Elb.InitialHealthChecking)") }, "\(up.output)")
            #expect(waiting.allSatisfy { $0.contains("web-b2") || $0.contains("10.0.2.253") }, "\(up.output)")
        }
    }

    /// The status socket answers a user without root, but only with the report: a request to
    /// change anything is refused there and the daemon goes on; the commands that change
    /// something refuse such a user with the clear message.
    @Test func statusSocketOnlyReadsAndChangingCommandsNeedRoot() async throws {
        try await TestTopology.with { topology in
            let up = try await topology.up(useFile: false)
            #expect(up.status == 0, "\(up.output)")
            let nobody = try await UnprivilegedUser.prepare()
            let socket = "\(topology.stateDirectory)/status.sock"
            let shutdown = try await nobody.send(#"{"shutdown":{}}"#, to: socket)
            #expect(shutdown.contains("only answers status requests"), "\(shutdown)")
            let control = try await nobody.send(#"{"shutdown":{}}"#, to: "\(topology.stateDirectory)/daemon.sock")
            #expect(control.contains("Permission denied"), "\(control)")
            for command in [["down"], ["up"], ["plan"]] {
                let refused = try await nobody.run(topology, command)
                #expect(refused.status != 0 && refused.stderr.contains("needs root"), "\(command): \(refused.output)")
            }
            let status = try await topology.lbnet(["status", "--json"])
            #expect(try JSONDecoder().decode(StatusReport.self, from: Data(status.stdout.utf8)).daemon != nil, "\(status.output)")
        }
    }
}

/// What `up` prints: on a terminal one line counting the steps made out of the total, redrawn
/// in place; piped, a line per step.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct UpProgressTests {
    @Test func aTerminalGetsACountAndAPipeGetsLines() async throws {
        try await TestTopology.with { topology in
            // `script` gives the command a terminal and copies what it prints.
            let command = [lbnetBinary, "up", "--api-listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                           "--state-dir", topology.stateDirectory, "--prefix", topology.prefix].joined(separator: " ")
            let onTerminal = try await run(["script", "-qec", command, "/dev/null"])
            #expect(onTerminal.status == 0, "\(onTerminal.output)")
            let counts = onTerminal.stdout.components(separatedBy: "\r\u{1B}[2K").compactMap { part -> (Int, Int)? in
                guard part.hasPrefix("["), let close = part.firstIndex(of: "]") else { return nil }
                let numbers = part[part.index(after: part.startIndex)..<close].split(separator: "/")
                    .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
            }
            #expect(counts.count >= 2 && counts.last.map { $0.0 == $0.1 } == true, "\(onTerminal.stdout.debugDescription)")
            #expect(zip(counts, counts.dropFirst()).allSatisfy { $0.0 <= $1.0 }, "counts went back: \(counts)")
            #expect(!onTerminal.stdout.contains("  + namespace"), "a terminal got the piped lines")
            // Piped, after a change: one line per step, no control characters.
            try topology.write(StateFileLoader.defaultTopologyYAML.replacingOccurrences(of: "  - name: web-b2\n    subnet: subnet-1b\n    securityGroups: [web-sg]\n", with: "")
                .replacingOccurrences(of: "      - id: web-b2\n", with: ""))
            let piped = try await topology.up()
            #expect(piped.stdout.contains("Applying changes for") && piped.stdout.contains("- process web-b2"), "\(piped.output)")
            #expect(!piped.stdout.contains("\u{1B}"), "\(piped.stdout.debugDescription)")
        }
    }
}

/// Runs lbnet as `nobody` (uid and gid 65534, no groups), from a copy of the binary any user may
/// execute (the build folder may not be).
struct UnprivilegedUser {
    let binary: String

    static func prepare() async throws -> UnprivilegedUser {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-nobody-\(getpid())").path
        let binary = "\(directory)/lbnet"
        if !FileManager.default.fileExists(atPath: binary) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            chmod(directory, 0o755)
            try? FileManager.default.copyItem(atPath: lbnetBinary, toPath: binary)
            chmod(binary, 0o755)
        }
        return UnprivilegedUser(binary: binary)
    }

    func run(_ topology: TestTopology, _ arguments: [String]) async throws -> CommandResult {
        try await IntegrationTests.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", binary]
            + arguments + ["--state-dir", topology.stateDirectory, "--prefix", topology.prefix])
    }

    /// Sends one request line to a Unix socket as `nobody` and returns the answer or the error.
    func send(_ line: String, to socket: String) async throws -> String {
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(sys.argv[1])
            except OSError as e:
                print(e); sys.exit(0)
            s.sendall(sys.argv[2].encode() + b"\\n")
            print(s.recv(65536).decode())
            """
        let result = try await IntegrationTests.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                                     "/usr/bin/python3", "-c", script, socket, line])
        return result.output
    }
}
