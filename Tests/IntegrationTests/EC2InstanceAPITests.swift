import Foundation
import Orchestrator
import Testing

/// Instances launched through EC2's API with the awscli: the user data runs in the instance's
/// namespace as `nobody` and serves HTTP to another instance; termination protection holds;
/// terminating removes the namespace, and the instance is described as `terminated`.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct EC2InstanceAPITests {
    static let network = """
        vpcs:
          - {name: main, cidr: 10.0.0.0/16, subnets: [{name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}]}
        instances: [{name: client, subnet: subnet-1a}]
        """
    /// Serves, from `directory` (which it makes), a page that says which user wrote it.
    static func script(directory: String) -> String {
        """
        #!/bin/sh
        mkdir \(directory) && cd \(directory) && id -u > index.html
        exec python3 -m http.server 8080
        """
    }

    @Test func userDataServesHTTPAsNobodyAndTerminationRemovesTheNamespace() async throws {
        try await TestTopology.with(yaml: Self.network) { topology in
            #expect(try await topology.up().status == 0)
            let scriptPath = "\(topology.stateDirectory)-user-data.sh", directory = "/tmp/\(topology.prefix)-www"
            let script = Self.script(directory: directory)
            try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
            defer {
                try? FileManager.default.removeItem(atPath: scriptPath)
                try? FileManager.default.removeItem(atPath: directory)
            }
            let launch = try await AWSAPIEndpointTests.aws(topology, ["bash", "-c", """
                aws ec2 run-instances --image-id ami-12345678 --instance-type t3.micro --count 1 --user-data file://\(scriptPath) \
                  --subnet-id $(aws ec2 describe-subnets --query 'Subnets[0].SubnetId' --output text) \
                  --query 'Instances[0].[InstanceId,State.Name]' --output text
                """])
            let fields = launch.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
            let id = try #require(fields.first, "\(launch.output)")
            #expect(launch.status == 0 && fields.last == "pending" && id.hasPrefix("i-") && id.count == 19, "\(launch.output)")
            let describe = ["aws", "ec2", "describe-instances", "--instance-ids", id, "--query",
                            "Reservations[0].Instances[0].[State.Name,PrivateIpAddress]", "--output", "text"]
            var address = ""
            let running = try await eventually(timeout: 60) {
                let answer = try await AWSAPIEndpointTests.aws(topology, describe).stdout.split(whereSeparator: \.isWhitespace)
                address = answer.count == 2 ? String(answer[1]) : ""
                return answer.first == "running"
            }
            #expect(running, "\(id) never ran")
            // Another instance reaches the script's server; the page says who wrote it.
            var page = ""
            let served = try await eventually(timeout: 30) {
                page = try await topology.exec("client", ["curl", "-s", "--max-time", "2", "http://\(address):8080/index.html"]).stdout
                return !page.isEmpty
            }
            let output = try await topology.lbnet(["logs", id]).output
            #expect(served && page == "65534\n", "the user data's server answered \(page); its log: \(output)")
            let status = try JSONDecoder().decode(StatusReport.self, from: Data(try await topology.lbnet(["status", "--json"]).stdout.utf8))
            let pid = try #require(status.hosts.first { $0.name == id }?.pid, "no process for \(id) in status")
            let uids = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("Uid:") }
            #expect(uids?.split(whereSeparator: \.isWhitespace).dropFirst().allSatisfy { $0 == "65534" } == true, "\(String(describing: uids))")
            let server = try await run(["ps", "-o", "user=", "-s", String(pid)])
            #expect(!server.stdout.contains("root") && server.stdout.contains("nobody"), "\(server.output)")
            var log = stat()
            #expect(stat("\(topology.stateDirectory)/logs/\(id).log", &log) == 0 && log.st_mode & 0o777 == 0o600, "the log is not root's alone")
            for file in ["applied.yaml", "processes.json"] {
                var info = stat()
                #expect(stat("\(topology.stateDirectory)/\(file)", &info) == 0 && info.st_mode & 0o777 == 0o600, "\(file) holds user data")
            }
            // The user data comes back; termination protection holds until it is lifted.
            let steps = try await AWSAPIEndpointTests.aws(topology, ["bash", "-c", """
                aws ec2 describe-instance-attribute --instance-id \(id) --attribute userData --query UserData.Value --output text | base64 -d
                aws ec2 modify-instance-attribute --instance-id \(id) --disable-api-termination
                aws ec2 terminate-instances --instance-ids \(id) 2>&1 | grep -o OperationNotPermitted
                aws ec2 modify-instance-attribute --instance-id \(id) --no-disable-api-termination
                aws ec2 terminate-instances --instance-ids \(id) --query 'TerminatingInstances[0].CurrentState.Name' --output text
                """])
            #expect(steps.stdout == script + "OperationNotPermitted\nshutting-down\n", "\(steps.output)")
            let gone = try await eventually(timeout: 30) { !(try await topology.namespaces().contains(topology.namespace(id))) }
            #expect(gone, "the namespace of \(id) is still there")
            let after = try await AWSAPIEndpointTests.aws(topology, describe)
            #expect(after.stdout.hasPrefix("terminated"), "\(after.output)")
        }
    }
}
