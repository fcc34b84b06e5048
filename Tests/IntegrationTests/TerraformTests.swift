import Foundation
import Testing

/// Terraform and its aws provider, where the machine has them: `terraform` on PATH and the
/// provider in a filesystem mirror (a folder holding `registry.terraform.io/hashicorp/aws`).
struct TerraformClient {
    let mirror: String

    /// Where mirrors usually are; `LBNET_TERRAFORM_MIRROR` names another.
    static let mirrorCandidates = [ProcessInfo.processInfo.environment["LBNET_TERRAFORM_MIRROR"], "/opt/tf-plugins",
                                   "\(NSHomeDirectory())/.terraform.d/plugins", "/usr/local/share/terraform/plugins",
                                   "/usr/share/terraform/plugins"].compactMap { $0 }

    static let found: TerraformClient? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/terraform") }) else { return nil }
        let mirror = mirrorCandidates.first { candidate in
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: "\(candidate)/registry.terraform.io/hashicorp/aws")) ?? []
            return !versions.isEmpty
        }
        return mirror.map(TerraformClient.init)
    }()

    static let skipReason: Comment = """
        terraform tests need `terraform` on PATH and the hashicorp/aws provider in a filesystem mirror \
        (\(mirrorCandidates.joined(separator: ", ")); LBNET_TERRAFORM_MIRROR names another)
        """

    /// A CLI configuration that installs the aws provider from the mirror only.
    func configuration() -> String {
        """
        provider_installation {
          filesystem_mirror {
            path    = "\(mirror)"
            include = ["registry.terraform.io/hashicorp/aws"]
          }
          direct {
            exclude = ["registry.terraform.io/hashicorp/aws"]
          }
        }
        """
    }
}

/// terraform as a client of lbnet's AWS API: the guide's topology (docs/examples/terraform)
/// applies into real namespaces, IPVS/nftables and proxies; a second plan has nothing to do;
/// requests cross NLB -> ALB -> instance; destroy leaves nothing behind.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason), .enabled(if: TerraformClient.found != nil, TerraformClient.skipReason))
struct TerraformTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/examples/terraform/main.tf").path

    @Test func theGuideTopologyAppliesPlansCleanServesAndDestroys() async throws {
        let client = try #require(TerraformClient.found)
        try await TestTopology.with(yaml: "{}") { topology in
            #expect(try await topology.up().status == 0)
            let directory = topology.stateDirectory + "-terraform"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.copyItem(atPath: Self.example, toPath: "\(directory)/main.tf")
            try client.configuration().write(toFile: "\(directory)/cli.tfrc", atomically: true, encoding: .utf8)
            let endpoint = try await AWSAPIEndpointTests.endpoint(topology)
            func terraform(_ arguments: [String]) async throws -> CommandResult {
                try await AWSAPIEndpointTests.aws(topology, ["env", "TF_CLI_CONFIG_FILE=\(directory)/cli.tfrc", "TF_IN_AUTOMATION=1",
                                                             "terraform", "-chdir=\(directory)"] + arguments, timeout: 600)
            }
            let variables = ["-no-color", "-input=false", "-var", "endpoint=\(endpoint)"]
            let initialized = try await terraform(["init", "-no-color", "-input=false"])
            try #require(initialized.status == 0, "\(initialized.output)")
            let applied = try await terraform(["apply", "-auto-approve"] + variables)
            try #require(applied.status == 0, "\(applied.output)")
            let plan = try await terraform(["plan", "-detailed-exitcode"] + variables)
            #expect(plan.status == 0 && plan.stdout.contains("No changes"), "a second plan wants changes:\n\(plan.output)")
            // The provider's default_tags and the resources' own tags, as lbnet keeps them.
            let tags = try await AWSAPIEndpointTests.aws(topology, ["bash", "-ec", """
                aws ec2 describe-instances --filters Name=tag:role,Values=target-server --query 'Reservations[].Instances[].Tags[].[Key,Value]' --output text | LC_ALL=C sort
                aws elbv2 describe-tags --resource-arns "$(aws elbv2 describe-load-balancers --names web-alb --query 'LoadBalancers[0].LoadBalancerArn' --output text)" \\
                  --query 'TagDescriptions[0].Tags[].[Key,Value]' --output text | LC_ALL=C sort
                """])
            #expect(tags.stdout == "Name\tweb-a\nmanaged\tterraform\nproject\tlbnet-guide\nrole\ttarget-server\n"
                + "managed\tterraform\nproject\tlbnet-guide\ntier\tinternal\n", "\(tags.output)")
            let outputs = try await terraform(["output", "-json", "nlb_ips"])
            let addresses = try #require(try JSONSerialization.jsonObject(with: Data(outputs.stdout.utf8)) as? [String], "\(outputs.output)")
            try #require(addresses.count == 2)
            // One instance runs lbnet's target server, the other its user data (python's
            // http.server); the ALB balances across zones (its default), so both answer in turn.
            var answers: [String] = []
            let answered = try await eventually(timeout: 60) {
                for address in addresses + addresses + addresses {
                    answers.append(try await topology.exec("internet", ["curl", "-sS", "--max-time", "5", "http://\(address)/"]).stdout)
                }
                return answers.contains { $0.contains(#""instance":"i-"#) } && answers.contains { $0.contains("Directory listing") }
            }
            #expect(answered, "no answer from both instances through NLB -> ALB: \(answers)")
            let destroyed = try await terraform(["destroy", "-auto-approve"] + variables)
            #expect(destroyed.status == 0, "\(destroyed.output)")
            let left = try await topology.leftAfterTeardown()
            #expect(left == nil, "left after destroy: \(left ?? "")")
        }
    }
}
