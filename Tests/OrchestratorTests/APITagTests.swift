@testable import Orchestrator
import AWSAPI
import Foundation
import Testing

/// Tags through the API: AWS's limits and refusals, ELBv2's and EC2's tagging calls, tags on
/// create calls, `tagSet` and tag filters in EC2's answers, and the record across restarts.
@Suite struct APITagTests {
    static let network = """
        vpcs: [{name: main, cidr: 10.0.0.0/16, subnets: [{name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}]}]
        instances: [{name: web-a1, subnet: subnet-1a}]
        targetGroups: [{name: web, protocol: HTTP, port: 8080, vpc: main, targets: [{id: web-a1}]}]
        """
    static let identity = AWSIdentity()

    static func call(_ api: APIHarness, _ service: AWSService, _ action: String, _ parameters: [String: String]) async -> Result<String, APIError> {
        do {
            let result = try await api.backend.handle(APICall(service: service, action: action, parameters: QueryParameters(parameters), requestId: "test"))
            return .success(service.response(action: action, result: result, requestId: "test"))
        } catch {
            return .failure(error)
        }
    }

    static func code(_ result: Result<String, APIError>) -> String? {
        if case .failure(let error) = result { error.code } else { nil }
    }

    static func tags(_ prefix: String, _ pairs: [(String, String)]) -> [String: String] {
        var parameters: [String: String] = [:]
        for (index, pair) in pairs.enumerated() {
            parameters["\(prefix)\(index + 1).Key"] = pair.0
            parameters["\(prefix)\(index + 1).Value"] = pair.1
        }
        return parameters
    }

    // MARK: Limits

    @Test func limitsAndRefusalsAreAWSs() throws {
        func refusal(_ pairs: [(String, String)], _ service: ResourceTags.Service) -> String? {
            do { _ = try ResourceTags.parse(pairs.map { ($0.0, $0.1) }, service: service); return nil } catch { return error.code }
        }
        #expect(refusal([("env", "prod"), ("team", "")], .elbv2) == nil)
        #expect(refusal([("env", "a"), ("env", "b")], .elbv2) == "DuplicateTagKeys")
        #expect(refusal([("env", "a"), ("env", "b")], .ec2) == "InvalidParameterValue")
        let many = (1...51).map { ("k\($0)", "v") }
        #expect(refusal(Array(many.prefix(50)), .elbv2) == nil)
        #expect(refusal(many, .elbv2) == "TooManyTags")
        #expect(refusal(many, .ec2) == "TagLimitExceeded")
        #expect(refusal([(String(repeating: "k", count: 128), "")], .elbv2) == nil)
        #expect(refusal([(String(repeating: "k", count: 129), "")], .elbv2) == "ValidationError")
        #expect(refusal([("", "v")], .ec2) == "InvalidParameterValue")
        #expect(refusal([("k", String(repeating: "v", count: 256))], .ec2) == nil)
        #expect(refusal([("k", String(repeating: "v", count: 257))], .ec2) == "InvalidParameterValue")
        #expect(refusal([("aws:cloudformation:stack-name", "x")], .elbv2) == "ValidationError")
        #expect(refusal([("AWS:x", "x")], .ec2) == "InvalidParameterValue")
    }

    @Test func theStoreSurvivesARestartIsRootOnlyAndHoldsAtMostFiftyTags() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-tags-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/api-tags.json"
        let store = try APITagStore(path: path)
        try store.add(ResourceTags(Dictionary(uniqueKeysWithValues: (1...49).map { ("k\($0)", "v") })), to: ["vpc-1"], service: .ec2)
        try store.add(ResourceTags(["k1": "new", "k50": "v"]), to: ["vpc-1"], service: .ec2)
        #expect(throws: APIError.self) { try store.add(ResourceTags(["k51": "v"]), to: ["vpc-1"], service: .ec2) }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let reopened = try APITagStore(path: path)
        #expect(reopened.tags(of: "vpc-1").pairs.count == 50)
        #expect(reopened.tags(of: "vpc-1").pairs["k1"] == "new")
        try reopened.retain { ["vpc-2"] }
        #expect(try APITagStore(path: path).tags(of: "vpc-1").isEmpty)
    }

    // MARK: ELBv2

    @Test func elbv2TagsOnCreateAddRemoveAndDescribe() async throws {
        let api = try APIHarness(yaml: Self.network)
        let vpcId = Self.identity.vpcId("main")
        let create = ["Name": "api", "Protocol": "HTTP", "Port": "80", "VpcId": vpcId]
        let refused = await Self.call(api, .elasticLoadBalancingV2, "CreateTargetGroup",
                                      create.merging(Self.tags("Tags.member.", [("env", "a"), ("env", "b")])) { a, _ in a })
        #expect(Self.code(refused) == "DuplicateTagKeys")
        #expect(api.file?.targetGroups.contains { $0.name == "api" } == false, "a refused call changes nothing")
        _ = try await Self.call(api, .elasticLoadBalancingV2, "CreateTargetGroup",
                                create.merging(Self.tags("Tags.member.", [("env", "prod"), ("team", "web")])) { a, _ in a }).get()
        let arn = Self.identity.targetGroupArn("api")
        let describe = ["ResourceArns.member.1": arn]
        var tags = try await Self.call(api, .elasticLoadBalancingV2, "DescribeTags", describe).get()
        #expect(tags.contains("<Tags><member><Key>env</Key><Value>prod</Value></member><member><Key>team</Key><Value>web</Value></member></Tags>"), "\(tags)")
        _ = try await Self.call(api, .elasticLoadBalancingV2, "AddTags",
                                ["ResourceArns.member.1": arn].merging(Self.tags("Tags.member.", [("env", "test"), ("cost", "1")])) { a, _ in a }).get()
        _ = try await Self.call(api, .elasticLoadBalancingV2, "RemoveTags", ["ResourceArns.member.1": arn, "TagKeys.member.1": "team"]).get()
        tags = try await Self.call(api, .elasticLoadBalancingV2, "DescribeTags", describe).get()
        #expect(tags.contains("<Tags><member><Key>cost</Key><Value>1</Value></member><member><Key>env</Key><Value>test</Value></member></Tags>"), "\(tags)")
        let missing = await Self.call(api, .elasticLoadBalancingV2, "AddTags", ["ResourceArns.member.1": Self.identity.targetGroupArn("nope"),
                                                                               "Tags.member.1.Key": "k"])
        #expect(Self.code(missing) == "TargetGroupNotFound")
        let balancer = await Self.call(api, .elasticLoadBalancingV2, "DescribeTags",
                                       ["ResourceArns.member.1": Self.identity.loadBalancerArn("nope", type: .network)])
        #expect(Self.code(balancer) == "LoadBalancerNotFound")

        // Deleted and made again (same name, so the same ARN): without the old tags.
        _ = try await Self.call(api, .elasticLoadBalancingV2, "DeleteTargetGroup", ["TargetGroupArn": arn]).get()
        _ = try await Self.call(api, .elasticLoadBalancingV2, "CreateTargetGroup", create).get()
        tags = try await Self.call(api, .elasticLoadBalancingV2, "DescribeTags", describe).get()
        #expect(tags.contains("<Tags></Tags>"), "\(tags)")
    }

    // MARK: EC2

    @Test func ec2TagSpecificationsTagSetsFiltersAndTaggingCalls() async throws {
        let api = try APIHarness(yaml: Self.network)
        let spec = ["CidrBlock": "10.1.0.0/16", "TagSpecification.1.ResourceType": "vpc",
                    "TagSpecification.1.Tag.1.Key": "Name", "TagSpecification.1.Tag.1.Value": "made",
                    "TagSpecification.1.Tag.2.Key": "env", "TagSpecification.1.Tag.2.Value": "prod"]
        let wrongType = await Self.call(api, .ec2, "CreateVpc", spec.merging(["TagSpecification.1.ResourceType": "subnet"]) { _, b in b })
        #expect(Self.code(wrongType) == "InvalidParameterValue")
        let created = try await Self.call(api, .ec2, "CreateVpc", spec).get()
        #expect(created.contains("<tagSet><item><key>Name</key><value>made</value></item><item><key>env</key><value>prod</value></item></tagSet>"),
                "\(created)")
        let id = try #require(created.firstMatch(of: /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/)?.1).description

        let byTag = try await Self.call(api, .ec2, "DescribeVpcs", ["Filter.1.Name": "tag:env", "Filter.1.Value.1": "prod"]).get()
        #expect(byTag.contains(id) && !byTag.contains(Self.identity.vpcId("main")), "\(byTag)")
        let byName = try await Self.call(api, .ec2, "DescribeVpcs", ["Filter.1.Name": "tag:Name", "Filter.1.Value.1": "main"]).get()
        #expect(byName.contains(Self.identity.vpcId("main")) && !byName.contains(id), "\(byName)")

        // A file-made subnet keeps its Name and gains the client's tags.
        let subnet = Self.identity.subnetId("subnet-1a")
        _ = try await Self.call(api, .ec2, "CreateTags", ["ResourceId.1": subnet, "Tag.1.Key": "tier", "Tag.1.Value": "web"]).get()
        let subnets = try await Self.call(api, .ec2, "DescribeSubnets", ["Filter.1.Name": "tag-key", "Filter.1.Value.1": "tier"]).get()
        #expect(subnets.contains("<tagSet><item><key>Name</key><value>subnet-1a</value></item><item><key>tier</key><value>web</value></item></tagSet>"),
                "\(subnets)")
        let described = try await Self.call(api, .ec2, "DescribeTags", ["Filter.1.Name": "key", "Filter.1.Value.1": "tier"]).get()
        #expect(described.contains("<item><resourceId>\(subnet)</resourceId><resourceType>subnet</resourceType><key>tier</key><value>web</value></item>"),
                "\(described)")
        _ = try await Self.call(api, .ec2, "DeleteTags", ["ResourceId.1": subnet, "Tag.1.Key": "tier", "Tag.1.Value": "other"]).get()
        #expect(try await Self.call(api, .ec2, "DescribeSubnets", ["SubnetId.1": subnet]).get().contains("<key>tier</key>"), "a value that differs keeps the tag")
        _ = try await Self.call(api, .ec2, "DeleteTags", ["ResourceId.1": subnet, "Tag.1.Key": "tier"]).get()
        #expect(try await !Self.call(api, .ec2, "DescribeSubnets", ["SubnetId.1": subnet]).get().contains("<key>tier</key>"))

        let unknown = await Self.call(api, .ec2, "CreateTags", ["ResourceId.1": "vpc-0123456789abcdef0", "Tag.1.Key": "k"])
        #expect(Self.code(unknown) == "InvalidVpcID.NotFound")
        let reserved = await Self.call(api, .ec2, "CreateTags", ["ResourceId.1": id, "Tag.1.Key": "aws:x"])
        #expect(Self.code(reserved) == "InvalidParameterValue")
    }

    @Test func instanceTagsOnRunInstancesAndAFilterThatLeavesAReservationEmptyDropsIt() async throws {
        let api = try APIHarness(yaml: Self.network)
        let run = try await Self.call(api, .ec2, "RunInstances", [
            "ImageId": "ami-12345678", "InstanceType": "t3.micro", "MinCount": "1", "MaxCount": "1",
            "SubnetId": Self.identity.subnetId("subnet-1a"), "TagSpecification.1.ResourceType": "instance",
            "TagSpecification.1.Tag.1.Key": "role", "TagSpecification.1.Tag.1.Value": "api",
        ]).get()
        #expect(run.contains("<tagSet><item><key>role</key><value>api</value></item></tagSet>"), "\(run)")
        let volume = try await Self.call(api, .ec2, "RunInstances", [
            "ImageId": "ami-12345678", "InstanceType": "t3.micro", "MinCount": "1", "MaxCount": "1",
            "SubnetId": Self.identity.subnetId("subnet-1a"), "TagSpecification.1.ResourceType": "volume",
            "TagSpecification.1.Tag.1.Key": "role", "TagSpecification.1.Tag.1.Value": "api",
        ]).get()
        // Volume tags apply to the launch's EBS volumes, of which lbnet makes none.
        #expect(volume.contains("<instanceId>") && !volume.contains("<key>role</key>"), "\(volume)")
        let volumes = try await Self.call(api, .ec2, "DescribeVolumes", [:]).get()
        #expect(!volumes.contains("<item>"), "\(volumes)")
        let badVolumeTag = await Self.call(api, .ec2, "RunInstances", [
            "ImageId": "ami-12345678", "InstanceType": "t3.micro", "MinCount": "1", "MaxCount": "1",
            "SubnetId": Self.identity.subnetId("subnet-1a"), "TagSpecification.1.ResourceType": "volume",
            "TagSpecification.1.Tag.1.Key": "aws:reserved", "TagSpecification.1.Tag.1.Value": "x",
        ])
        #expect(Self.code(badVolumeTag) != nil)
        let networkInterface = await Self.call(api, .ec2, "RunInstances", [
            "ImageId": "ami-12345678", "InstanceType": "t3.micro", "MinCount": "1", "MaxCount": "1",
            "SubnetId": Self.identity.subnetId("subnet-1a"), "TagSpecification.1.ResourceType": "network-interface",
            "TagSpecification.1.Tag.1.Key": "role",
        ])
        #expect(Self.code(networkInterface) == "InvalidParameterValue")
        let filtered = try await Self.call(api, .ec2, "DescribeInstances", ["Filter.1.Name": "tag:role", "Filter.1.Value.1": "a*"]).get()
        #expect(filtered.contains("<key>role</key>") && !filtered.contains(Self.identity.instanceId("web-a1")), "\(filtered)")
        #expect(filtered.components(separatedBy: "<reservationId>").count == 2, "only the tagged instance's reservation: \(filtered)")
    }
}
