import ALBAccessLogParsing
import Foundation
import Orchestrator
import Testing

/// ALB access logs and `lbnet logs`, end to end on the default topology with the ALB's access
/// logs on: requests from the `internet` namespace through an Elastic IP (NLB -> ALB ->
/// instance) each leave one line in AWS's format, in AWS's layout under the state directory.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct AccessLogTests {
    static let bucket = "lbnet-test-logs"
    static let prefix = "web/prod"

    /// The default topology with `access_logs.s3.*` set on `web-alb`.
    static func yaml() throws -> String {
        let marker = "  - name: web-alb\n    type: application\n"
        let yaml = StateFileLoader.defaultTopologyYAML
        try #require(yaml.contains(marker))
        return yaml.replacingOccurrences(of: marker, with: marker + """
                attributes:
                  access_logs.s3.enabled: "true"
                  access_logs.s3.bucket: \(bucket)
                  access_logs.s3.prefix: \(prefix)

            """)
    }

    /// Every line of every access log file below `directory`, parsed.
    static func records(under directory: String) throws -> [ALBAccessLogRecord] {
        try ALBAccessLogFiles.files(under: directory).flatMap(ALBAccessLogFiles.lines).map { try ALBAccessLogRecord(parsing: $0) }
    }

    @Test func eachRequestThroughAnElasticIPIsOneAWSLine() async throws {
        try await TestTopology.with(yaml: try Self.yaml()) { topology in
            let up = try await topology.up()
            #expect(up.status == 0, "\(up.output)")
            let agent = "access-log-test/1 (\"quoted\"; spaced out)"
            let count = 8
            for index in 0..<count {
                let curl = try await topology.exec("internet", ["curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                                                                "-A", agent, "http://\(NLBScenario.elasticIPA)/item/\(index)?q=1"])
                #expect(curl.stdout == "200", "\(curl.output)")
            }
            let bucketPath = "\(topology.stateDirectory)/access-logs/\(Self.bucket)/\(Self.prefix)"
            var ours: [ALBAccessLogRecord] = []
            let found = try await eventually(timeout: 10) {
                ours = try Self.records(under: bucketPath).filter { $0["user_agent"] == agent }
                return ours.count >= count
            }
            #expect(found && ours.count == count, "\(ours.count) lines of \(count) requests")
            let all = try Self.records(under: bucketPath)
            // The NLB's health checks of the ALB are requests to it too, logged as such.
            #expect(all.allSatisfy { $0["user_agent"] == agent || $0["user_agent"] == "ELB-HealthChecker/2.0" })
            #expect(Set(ours.map(\.["request"])) == Set((0..<count).map { "GET http://\(NLBScenario.elasticIPA):80/item/\($0)?q=1 HTTP/1.1" }))
            for record in ours {
                #expect(record["elb_status_code"] == "200" && record["target_status_code"] == "200")
                #expect(record["elb"].hasPrefix("app/web-alb/") && record["actions_executed"] == "forward")
                #expect(record["target_group_arn"].hasPrefix("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-instances/"))
                #expect(record["target:port"].hasPrefix("10.0.1.") && record["client:port"].hasPrefix("\(ClientAddressScenario.internetClient):"))
            }

            let files = ALBAccessLogFiles.files(under: bucketPath)
            #expect(!files.isEmpty && files.allSatisfy {
                $0.contains("/AWSLogs/123456789012/elasticloadbalancing/us-east-1/")
                    && $0.contains("_elasticloadbalancing_us-east-1_app.web-alb.") && $0.hasSuffix(".log.gz")
            }, "\(files)")
            #expect(files.contains { $0.contains("Z_10.0.1.253_") }, "\(files)")
            let mode = try FileManager.default.attributesOfItem(atPath: "\(topology.stateDirectory)/access-logs")[.posixPermissions] as? Int
            #expect(mode == 0o750)

            let status = try await topology.lbnet(["status"])
            #expect(status.stdout.contains("s3://\(Self.bucket)/\(Self.prefix)"), "\(status.stdout)")
            #expect(status.stdout.contains(bucketPath), "\(status.stdout)")

            #expect(try await topology.lbnet(["down"]).status == 0)
            #expect(ALBAccessLogFiles.files(under: bucketPath) == files, "down keeps the access logs")
        }
    }

    @Test func logsShowsAndFollowsAHostsOutput() async throws {
        try await TestTopology.with(yaml: try Self.yaml()) { topology in
            #expect(try await topology.up().status == 0)
            #expect(try await eventually(timeout: 10) {
                try await topology.lbnet(["logs", "web-a1"]).stdout.contains("target web-a1 (local-1a) listening on 0.0.0.0:8080")
            })

            let unknown = try await topology.lbnet(["logs", "web-zz"])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no host named 'web-zz'; hosts: web-a1, web-a2, web-b1, web-b2"), "\(unknown.stderr)")
            let silent = try await topology.lbnet(["logs", "web-nlb-local-1a"])
            #expect(silent.status != 0 && silent.stderr.contains("runs no process"), "\(silent.stderr)")

            let output = "\(topology.stateDirectory)-follow.out"
            defer { unlink(output) }
            let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            defer { close(fd) }
            let follower = try ChildProcess([lbnetBinary, "logs", "--follow", "web-alb-local-1a",
                                             "--state-dir", topology.stateDirectory, "--prefix", topology.prefix], stdout: fd)
            try await follower.killed {
                #expect(try await eventually { Self.contents(output).contains("ALB node listening") })
                let marker = "follow-marker-\(UUID().uuidString.prefix(8))"
                let curl = try await topology.exec("internet", ["curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-A", marker,
                                                                "http://\(NLBScenario.elasticIPA)/"])
                #expect(curl.status == 0, "\(curl.output)")
                #expect(try await eventually { Self.contents(output).contains("\"\(marker)\"") }, "\(Self.contents(output))")
                // `down` removes the log: the follower ends by itself.
                #expect(try await topology.lbnet(["down"]).status == 0)
                #expect(await follower.wait(timeout: 10) == 0)
            }
        }
    }

    static func contents(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
