import Foundation
import Orchestrator
import Testing

/// The daemon's Prometheus endpoint on the default scenario (NLB with an Elastic IP per AZ in
/// front of an ALB, instances behind it), with quick ALB health checks and NLB health checks
/// of the ALB spaced out, so that nothing but the test's requests moves the counters: after N
/// requests through each Elastic IP, the ALB node and the NLB node of that AZ say N.
struct MetricsScenario {
    static let requests = 7
    /// Whether the NLB's datapath counts TCP resets (nftables does; IPVS does not, and the
    /// metrics are then not served).
    let countsResets: Bool

    static let yaml = defaultTopologyWithQuickChecks()

    /// The scraped exposition, parsed into `name{label=value,...}` keys (labels sorted).
    static func scrape(_ topology: TestTopology) async throws -> [String: Double] {
        let url = try await endpoint(topology)
        let result = try await run(["curl", "-sS", "--max-time", "10", url])
        #expect(result.status == 0, "\(result.output)")
        var samples: [String: Double] = [:]
        for line in result.stdout.split(separator: "\n") where !line.hasPrefix("#") {
            guard let brace = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}"),
                  let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)) else { continue }
            let labels = line[line.index(after: brace)..<close].split(separator: ",").map(String.init).sorted()
            samples["\(line[..<brace]){\(labels.joined(separator: ","))}"] = value
        }
        return samples
    }

    /// `daemon.endpoints.metrics` of `lbnet status --json`: where this topology's daemon serves
    /// metrics.
    static func endpoint(_ topology: TestTopology) async throws -> String {
        let json = try await topology.lbnet(["status", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let endpoints = (object["daemon"] as? [String: Any])?["endpoints"] as? [String: Any]
        let url = try #require(endpoints?["metrics"] as? String, "\(json.output)")
        #expect(url.hasPrefix("http://127.0.0.1:") && !url.hasPrefix("http://127.0.0.1:9464/"), "\(url)")
        return url
    }

    static func key(_ name: String, _ labels: [String: String]) -> String {
        "\(name){\(labels.map { "\($0.key)=\"\($0.value)\"" }.sorted().joined(separator: ","))}"
    }

    static func alb(_ zone: String, group: Bool = true) -> [String: String] {
        var labels = ["LoadBalancer": AWSIdentity().loadBalancerResource("web-alb", type: .application), "AvailabilityZone": zone]
        if group { labels["TargetGroup"] = AWSIdentity().targetGroupResource("web-instances") }
        return labels
    }

    static func nlb(_ zone: String) -> [String: String] {
        ["LoadBalancer": AWSIdentity().loadBalancerResource("web-nlb", type: .network), "AvailabilityZone": zone]
    }

    func countsRequestsAndFlowsThroughEachElasticIP() async throws {
        try await TestTopology.with(yaml: Self.yaml) { topology in
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            let status = try await topology.lbnet(["status"]).stdout
            #expect(status.contains("metrics: \(try await Self.endpoint(topology))"), "\(status)")
            let healthy = "HealthyHostCount"
            #expect(try await eventually(timeout: 30) {
                let samples = try await Self.scrape(topology)
                return ["local-1a", "local-1b"].allSatisfy { samples[Self.key(healthy, Self.alb($0))] == 2 }
            }, "the ALB's targets did not become healthy")
            // Every request through an Elastic IP must have been answered before counting.
            _ = try await ALBBehindNLBScenario.path(topology, NLBScenario.elasticIPA)
            _ = try await ALBBehindNLBScenario.path(topology, NLBScenario.elasticIPB)

            let before = try await Self.scrape(topology)
            for (elasticIP, zone) in [(NLBScenario.elasticIPA, "local-1a"), (NLBScenario.elasticIPB, "local-1b")] {
                for _ in 0..<Self.requests {
                    let result = try await topology.exec("internet", ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                                                                      "--max-time", "10", "http://\(elasticIP)/"])
                    #expect(result.stdout == "200", "\(zone): \(result.output)")
                }
            }
            let after = try await Self.scrape(topology)
            func delta(_ name: String, _ labels: [String: String]) -> Double? {
                let key = Self.key(name, labels)
                guard let now = after[key] else { return nil }
                return now - (before[key] ?? 0)
            }
            let n = Double(Self.requests)
            for zone in ["local-1a", "local-1b"] {
                #expect(delta("RequestCount", Self.alb(zone)) == n, "RequestCount \(zone)")
                #expect(delta("HTTPCode_Target_2XX_Count", Self.alb(zone)) == n, "HTTPCode_Target_2XX_Count \(zone)")
                #expect(delta("TargetResponseTime_count", Self.alb(zone)) == n, "TargetResponseTime_count \(zone)")
                #expect(delta("NewFlowCount", Self.nlb(zone)) == n, "NewFlowCount \(zone)")
                #expect((delta("ProcessedBytes", Self.nlb(zone)) ?? 0) > 0, "NLB ProcessedBytes \(zone)")
                #expect((delta("ProcessedBytes", Self.alb(zone, group: false)) ?? 0) > 0, "ALB ProcessedBytes \(zone)")
                #expect((delta("NewConnectionCount", Self.alb(zone, group: false)) ?? 0) >= n, "NewConnectionCount \(zone)")
                #expect(after[Self.key("ActiveFlowCount", Self.nlb(zone))] != nil, "ActiveFlowCount \(zone)")
                #expect(delta("HTTPCode_ELB_5XX_Count", Self.alb(zone, group: false)) ?? 0 == 0, "HTTPCode_ELB_5XX_Count \(zone)")
            }

            // A connection held open through Elastic IP A (bash waits on it, no child process) is
            // one active flow of that zone's node while it lasts.
            let holder = try ChildProcess(["ip", "netns", "exec", topology.namespace("internet"), "bash", "-c",
                                           "exec 3<>/dev/tcp/\(NLBScenario.elasticIPA)/80 && read -t 60 -u 3"])
            try await holder.killed { () async throws -> Void in
                #expect(try await eventually(timeout: 30) {
                    let samples = try await Self.scrape(topology)
                    return samples[Self.key("ActiveFlowCount", Self.nlb("local-1a"))] == 1
                        && samples[Self.key("ActiveFlowCount", Self.nlb("local-1b"))] == 0
                }, "ActiveFlowCount of local-1a did not show the held connection")
            }

            // A client that aborts its connection (SO_LINGER 0) sends one reset towards the target.
            let resets = ["TCP_Client_Reset_Count", "TCP_Target_Reset_Count"].map { Self.key($0, Self.nlb("local-1a")) }
            let beforeReset = try await Self.scrape(topology)
            let abort = try await topology.exec("internet", ["/usr/bin/python3", "-c", """
                import socket, struct
                s = socket.create_connection(("\(NLBScenario.elasticIPA)", 80))
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()
                """])
            #expect(abort.status == 0, "\(abort.output)")
            if countsResets {
                #expect(try await eventually(timeout: 20) {
                    let samples = try await Self.scrape(topology)
                    return samples[resets[0]].map { $0 - (beforeReset[resets[0]] ?? 0) } == 1
                        && samples[resets[1]].map { $0 - (beforeReset[resets[1]] ?? 0) } == 0
                }, "TCP_Client_Reset_Count did not count the client's reset")
            } else {
                let samples = try await Self.scrape(topology)
                #expect(samples[resets[0]] == nil && samples[resets[1]] == nil, "resets served by a datapath that cannot count them")
            }

            // A stopped target leaves the healthy count of its zone as the ALB node there sees it.
            let pid = try await run(["ip", "netns", "pids", topology.namespace("web-a1")]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!pid.isEmpty && !pid.contains("\n"))
            try await run(["kill", "-STOP", pid])
            defer { if let stopped = pid_t(pid) { kill(stopped, SIGCONT) } }
            #expect(try await eventually(timeout: 25) {
                let samples = try await Self.scrape(topology)
                return samples[Self.key(healthy, Self.alb("local-1a"))] == 1 && samples[Self.key("UnHealthyHostCount", Self.alb("local-1a"))] == 1
            }, "HealthyHostCount of local-1a did not drop to 1")
            #expect(try await Self.scrape(topology)[Self.key(healthy, Self.alb("local-1b"))] == 2)
            try await run(["kill", "-CONT", pid])
        }
    }
}

/// The default topology with AWS's quickest ALB health checks, and the NLB's checks of the ALB
/// at AWS's longest interval (they are requests the ALB answers, and would move RequestCount).
func defaultTopologyWithQuickChecks() -> String {
    """
    \(NLBScenario.twoZoneNetwork)
    loadBalancers:
      - name: web-nlb
        type: network
        scheme: internet-facing
        subnets: [subnet-1a, subnet-1b]
        listeners:
          - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: web-alb-target}]}
      - name: web-alb
        type: application
        scheme: internal
        subnets: [subnet-1a, subnet-1b]
        listeners:
          - {protocol: HTTP, port: 80, defaultActions: [{type: forward, targetGroupName: web-instances}]}
    targetGroups:
      - name: web-alb-target
        targetType: alb
        protocol: TCP
        port: 80
        vpc: main
        healthCheck: {protocol: HTTP, path: /, intervalSeconds: 300}
        targets: [{id: web-alb}]
      - name: web-instances
        targetType: instance
        protocol: HTTP
        port: 8080
        vpc: main
        healthCheck: {path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2}
        attributes: {load_balancing.cross_zone.enabled: "false"}
        targets: [{id: web-a1}, {id: web-a2}, {id: web-b1}, {id: web-b2}]
    """
}

/// On this host (the NLB on nftables).
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct MetricsTests {
    @Test func countsRequestsAndFlowsThroughEachElasticIP() async throws {
        try await MetricsScenario(countsResets: true).countsRequestsAndFlowsThroughEachElasticIP()
    }
}

/// In the VM, where `datapath: auto` makes the NLB IPVS.
@Suite(.serialized, .enabled(if: isRoot && (NLBScenario.ipvsPresent || NLBScenario.ipvsRequired),
                             "needs root and a kernel with IPVS; scripts/vm-test runs these in a VM"))
struct MetricsIPVSTests {
    @Test func countsRequestsAndFlowsThroughEachElasticIPOnIPVS() async throws {
        try await MetricsScenario(countsResets: false).countsRequestsAndFlowsThroughEachElasticIP()
    }
}
