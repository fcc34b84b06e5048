import Foundation
import Testing

/// NLB behaviours, written once and run on each datapath: nftables on this host, IPVS inside
/// the VM (`scripts/vm-test`), with `nft`/`ipvsadm` and curl from the `internet` namespace as
/// witnesses.
struct NLBScenario {
    let datapath: String

    static let ipvsRequired = ProcessInfo.processInfo.environment["LBNET_REQUIRE_IPVS"] == "1"
    static let ipvsPresent = FileManager.default.fileExists(atPath: "/proc/net/ip_vs")

    /// VPC `main` with subnets in two AZs and two instances in each (`web-a1` .. `web-b2`), its
    /// `default` security group open to the VPC and to internet clients on the ports targets
    /// and ALBs serve (80, 8080): NLB nodes have no security group, and preserve clients'
    /// addresses for `instance` and `alb` targets.
    static let twoZoneNetwork = """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a}
          - {name: web-a2, subnet: subnet-1a}
          - {name: web-b1, subnet: subnet-1b}
          - {name: web-b2, subnet: subnet-1b}
        securityGroups:
          - name: default
            vpc: main
            ingress:
              - {ipProtocol: "-1", cidrIp: 10.0.0.0/16}
              - {ipProtocol: tcp, fromPort: 80, toPort: 80, cidrIp: 0.0.0.0/0}
              - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, cidrIp: 0.0.0.0/0}
        """

    /// A VPC with two AZs, two instances in each and one NLB over both.
    func yaml(crossZone: String? = nil, groupCrossZone: String? = nil, scheme: String = "internet-facing",
              targets: [String] = ["web-a1", "web-a2", "web-b1", "web-b2"], delay: Int = 300) -> String {
        """
        \(Self.twoZoneNetwork)
        loadBalancers:
          - name: nlb
            type: network
            scheme: \(scheme)
            datapath: \(datapath)
            subnets: [subnet-1a, subnet-1b]
            attributes: {\(crossZone.map { "load_balancing.cross_zone.enabled: \"\($0)\"" } ?? "")}
            listeners:
              - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}
        targetGroups:
          - name: web
            protocol: TCP
            port: 8080
            vpc: main
            attributes:
              deregistration_delay.timeout_seconds: "\(delay)"
        \(groupCrossZone.map { "      load_balancing.cross_zone.enabled: \($0)" } ?? "")
            targets: [\(targets.map { "{id: \($0)}" }.joined(separator: ", "))]

        """
    }

    static let elasticIPA = "198.51.100.10"
    static let elasticIPB = "198.51.100.11"

    /// Which instance answered a request to `url` from host `host`.
    func instance(_ topology: TestTopology, from host: String = "internet", _ url: String) async throws -> String? {
        let result = try await topology.exec(host, ["curl", "-sS", "--max-time", "10"] + [url])
        guard result.status == 0 else { return nil }
        return try targetAnswer(result.stdout)["instance"] as? String
    }

    /// The instance that answered each of `count` connections to `address`:80 from `host`
    /// (the `internet` namespace by default), in order ("-" when none did), from the source ports `ports` when
    /// given (else the kernel picks). One client process makes them all, and each connection
    /// ends with a reset, so a port has no TIME_WAIT and a next round can use it again at once.
    func instances(_ topology: TestTopology, from host: String = "internet", _ address: String, count: Int? = nil,
                   fromPorts ports: [Int] = []) async throws -> [String] {
        let portList = ports.isEmpty ? "[0] * \(count ?? 1)" : "[\(ports.map(String.init).joined(separator: ", "))]"
        let script = """
            import json, socket, struct, sys
            for port in \(portList):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.settimeout(10)
                try:
                    s.bind(("0.0.0.0", port)); s.connect(("\(address)", 80))
                    s.sendall(b"GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n")
                    data = b""
                    while chunk := s.recv(65536): data += chunk
                    print(json.loads(data.split(b"\\r\\n\\r\\n", 1)[1])["instance"])
                except Exception as error:
                    print("-"); print(error, file=sys.stderr)
                s.close()
            """
        return try await topology.exec(host, ["python3", "-c", script]).stdout.split(separator: "\n").map(String.init)
    }

    /// How many of `count` connections to `address` each instance answered.
    func answers(_ topology: TestTopology, _ address: String, count: Int) async throws -> [String: Int] {
        try await instances(topology, address, count: count).filter { $0 != "-" }.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    func up(_ topology: TestTopology, _ yaml: String) async throws {
        try topology.write(yaml)
        let up = try await topology.up()
        #expect(up.status == 0, "\(up.output)")
    }

    /// What the kernel holds for the datapath in every namespace of the topology.
    func datapathState(_ topology: TestTopology) async throws -> String {
        try await topology.namespaces().sorted().asyncMap { namespace in
            let nft = try await run(["ip", "netns", "exec", namespace, "nft", "-s", "list", "ruleset"]).stdout  // -s: without counters
            let ipvs = datapath == "ipvs" ? try await run(["ip", "netns", "exec", namespace, "ipvsadm", "-Ln"]).stdout : ""
            return "\(namespace)\n\(nft)\n\(ipvs)"
        }.joined(separator: "\n")
    }

    func reachesEachElasticIPInItsZone() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml())
            let a = try await answers(topology, Self.elasticIPA, count: 12)
            let b = try await answers(topology, Self.elasticIPB, count: 12)
            #expect(Set(a.keys) == ["web-a1", "web-a2"], "AZ a's Elastic IP reached \(a)")
            #expect(Set(b.keys) == ["web-b1", "web-b2"], "AZ b's Elastic IP reached \(b)")
            let status = try await topology.lbnet(["status"]).stdout
            #expect(status.contains(Self.elasticIPA) && status.contains("eipalloc-") && status.contains(datapath), "\(status)")
        }
    }

    func crossZoneReachesEveryZone() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml(crossZone: "true"))
            let a = try await answers(topology, Self.elasticIPA, count: 40)
            #expect(a.keys.contains { $0.hasPrefix("web-b") } && a.keys.contains { $0.hasPrefix("web-a") }, "\(a)")
            // The target group's attribute wins over the load balancer's.
            try await up(topology, yaml(crossZone: "true", groupCrossZone: "\"false\""))
            let again = try await answers(topology, Self.elasticIPA, count: 20)
            #expect(Set(again.keys).isSubset(of: ["web-a1", "web-a2"]) && !again.isEmpty, "\(again)")
        }
    }

    func sameSourcePortReachesSameTarget() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml(crossZone: "true"))
            let ports = Array(41001...41012)
            let first = try await instances(topology, Self.elasticIPA, fromPorts: ports)
            let second = try await instances(topology, Self.elasticIPA, fromPorts: ports)
            #expect(first.count == ports.count && !first.contains("-"), "\(first)")
            #expect(first == second)
            #expect(Set(first).count > 1, "every source port reached the same target: \(first)")
        }
    }

    /// Runs python `script` in the `internet` namespace: `body` gets its first line, and a
    /// function that sends it a line and returns the rest of its output once it exits. The
    /// client is killed and reaped when `body` ends, also when it fails.
    func withClient(_ topology: TestTopology, _ script: String, _ body: (String, () async -> String) async throws -> Void) async throws {
        let input = ChildProcess.pipe(), output = ChildProcess.pipe()
        let client = try ChildProcess(["ip", "netns", "exec", topology.namespace("internet"), "python3", "-c", script],
                                      stdin: input.read, stdout: output.write)
        close(input.read)
        close(output.write)
        let writer = FileHandle(fileDescriptor: input.write, closeOnDealloc: true)
        let reader = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
        try await client.killed {
            var collected = ""
            while !collected.contains("\n") {
                let data = await onOwnThread { reader.availableData }
                if data.isEmpty { break }
                collected += String(decoding: data, as: UTF8.self)
            }
            try await body(collected.trimmingCharacters(in: .whitespacesAndNewlines)) {
                writer.write(Data("\n".utf8))
                await client.wait(timeout: 60)
                let rest = await onOwnThread { reader.readDataToEndOfFile() }
                return String(decoding: rest, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
    }

    /// A keep-alive connection from the `internet` namespace to AZ a's Elastic IP that asked
    /// once: `body` gets the instance that answered and a function that asks once more on the
    /// same connection (the instance, or the name of the error, e.g. `ConnectionResetError`).
    func withHeldConnection(_ topology: TestTopology, _ body: (String, () async -> String) async throws -> Void) async throws {
        let script = """
            import http.client, json, sys
            c = http.client.HTTPConnection("\(Self.elasticIPA)", 80, timeout=20)
            def ask():
                try:
                    c.request("GET", "/"); return json.loads(c.getresponse().read())["instance"]
                except Exception as error:
                    return type(error).__name__
            print(ask(), flush=True)
            sys.stdin.readline()
            print(ask(), flush=True)
            """
        try await withClient(topology, script, body)
    }

    func removedTargetDrains() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml(delay: 4))
            // A keep-alive connection that asks again after the target was deregistered.
            try await withHeldConnection(topology) { held, askAgain in
                #expect(["web-a1", "web-a2"].contains(held))

                let remaining = ["web-a1", "web-a2", "web-b1", "web-b2"].filter { $0 != held }
                try await up(topology, yaml(targets: remaining, delay: 4))
                #expect(try await topology.lbnet(["status"]).stdout.contains("draining"))
                let during = try await answers(topology, Self.elasticIPA, count: 10)
                #expect(during[held] == nil, "new flows reached draining \(held): \(during)")

                #expect(await askAgain() == held, "the existing connection moved")

                let removed = try await eventually(timeout: 15) { !((try? await topology.lbnet(["status"]).stdout.contains("draining")) ?? true) }
                #expect(removed, "the target was not removed after its deregistration delay")
                #expect(try await topology.up().stdout.contains("No changes"))
            }
        }
    }

    func internalSchemeIsPrivate() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml(scheme: "internal"))
            #expect(try await instance(topology, "http://\(Self.elasticIPA)/") == nil)
            let fromInternet = try await topology.exec("internet", ["curl", "-sS", "--max-time", "3", "http://10.0.1.254/"])
            #expect(fromInternet.status != 0)
            // `up` returns once the datapath is in place; on a loaded machine the targets' servers may
            // still be starting (the node then passes on their resets): wait on them, not a clock.
            let inside = try await topology.exec("web-b1", ["curl", "-sS", "--retry", "60", "--retry-connrefused", "--retry-delay", "1",
                                                            "--max-time", "90", "http://10.0.1.254/"])
            #expect(inside.status == 0, "\(inside.output)")
            #expect((try? targetAnswer(inside.stdout)["instance"] as? String).map { ["web-a1", "web-a2"].contains($0) } == true,
                    "\(inside.output)")
        }
    }

    func secondUpWritesNothingAndDownCleansUp() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml())
            let before = try await datapathState(topology)
            #expect(before.contains(datapath == "ipvs" ? "TCP  10.0.1.254:80 sh" : "table ip lbnet_nlb"), "\(before)")
            #expect(before.contains("table ip lbnet_gateway"))
            let again = try await topology.up()
            #expect(again.stdout.contains("No changes"), "\(again.output)")
            #expect(try await datapathState(topology) == before)
            #expect(try await topology.lbnet(["down"]).status == 0)
            #expect(try await topology.namespaces().isEmpty)
            #expect(try await instance(topology, "http://\(Self.elasticIPA)/") == nil)
        }
    }
}

extension NLBScenario {
    /// Instances serving a directory over HTTP, so a test takes one out of health by deleting
    /// its health file (the supervisor would restart a killed server).
    func healthYAML(webRoot: String) -> String {
        yaml().replacingOccurrences(of: """
              - {name: web-a1, subnet: subnet-1a}
              - {name: web-a2, subnet: subnet-1a}
            """, with: """
              - {name: web-a1, subnet: subnet-1a, run: [python3, -m, http.server, "8080", --directory, \(webRoot)/web-a1]}
              - {name: web-a2, subnet: subnet-1a, run: [python3, -m, http.server, "8080", --directory, \(webRoot)/web-a2]}
            """).replacingOccurrences(of: """
                attributes:
                  deregistration_delay.timeout_seconds: "300"
            """, with: """
                healthCheck: {protocol: HTTP, path: /health.txt, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2}
                attributes:
                  deregistration_delay.timeout_seconds: "300"
            """)
    }

    /// The directories the web-a instances of `healthYAML` serve, each with its name and a
    /// health file; the caller removes the returned root.
    func webRoot(for topology: TestTopology) throws -> String {
        let webRoot = topology.stateDirectory + "-www"
        for name in ["web-a1", "web-a2"] {
            try FileManager.default.createDirectory(atPath: "\(webRoot)/\(name)", withIntermediateDirectories: true)
            try name.write(toFile: "\(webRoot)/\(name)/name.txt", atomically: true, encoding: .utf8)
            try "ok".write(toFile: "\(webRoot)/\(name)/health.txt", atomically: true, encoding: .utf8)
        }
        return webRoot
    }

    /// Which AZ a instances answered 20 connections to AZ a's Elastic IP (python's server
    /// answers a directory listing, so tell them apart by a marker file's content).
    func servers(_ topology: TestTopology) async throws -> Set<String> {
        Set(try await (0..<20).asyncCompactMap { _ in
            let result = try await topology.exec("internet", ["curl", "-sS", "--max-time", "5", "http://\(Self.elasticIPA)/name.txt"])
            return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        })
    }

    /// `healthYAML` applied, once both web-a instances are healthy: `body` gets the topology and
    /// the web root (to delete a health file).
    func withHealthyWebA(_ body: (TestTopology, String) async throws -> Void) async throws {
        try await TestTopology.with { topology in
            let webRoot = try webRoot(for: topology)
            defer { try? FileManager.default.removeItem(atPath: webRoot) }
            try await up(topology, healthYAML(webRoot: webRoot))
            let bothHealthy = "10.0.1.11:8080 (1, healthy), 10.0.1.12:8080 (1, healthy)"
            #expect(try await eventually(timeout: 60) { (try? await topology.lbnet(["status"]).stdout.contains(bothHealthy)) == true })
            try await body(topology, webRoot)
        }
    }

    func unhealthyTargetLeavesAndReturns() async throws {
        try await withHealthyWebA { topology, webRoot in
            #expect(try await servers(topology) == ["web-a1", "web-a2"])

            // web-a2 fails its checks: out of rotation within interval x threshold (plus a check's time).
            try FileManager.default.removeItem(atPath: "\(webRoot)/web-a2/health.txt")
            #expect(try await eventually(timeout: 30) { (try? await servers(topology)) == ["web-a1"] }, "web-a2 stayed in rotation")
            let status = try await topology.lbnet(["status"]).stdout
            #expect(status.contains("10.0.1.12:8080 (0, unhealthy (Target.ResponseCodeMismatch))"), "\(status)")

            // Both fail: the NLB fails open and sends to both.
            try FileManager.default.removeItem(atPath: "\(webRoot)/web-a1/health.txt")
            #expect(try await eventually(timeout: 30) { (try? await servers(topology)) == ["web-a1", "web-a2"] }, "the NLB did not fail open")

            // web-a1 recovers: it alone is in rotation again.
            try "ok".write(toFile: "\(webRoot)/web-a1/health.txt", atomically: true, encoding: .utf8)
            #expect(try await eventually(timeout: 30) { (try? await servers(topology)) == ["web-a1"] }, "web-a1 did not come back alone")
        }
    }
}
