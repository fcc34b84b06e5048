@testable import Orchestrator
import AWSAPI
import Foundation
import Kernel
import Testing

/// EC2's instance calls over an in-memory desired state: what terraform's `aws_instance` sends,
/// the refusals, and the answers in botocore's shapes.
@Suite struct EC2InstanceCallsTests {
    static let network = """
        vpcs: [{name: main, cidr: 10.0.0.0/16, subnets: [{name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24},
                                                         {name: tiny, az: local-1a, cidr: 10.0.2.0/28}]}]
        instances: [{name: web-a1, subnet: subnet-1a}]
        targetGroups: [{name: web, protocol: HTTP, port: 8080, vpc: main, targets: [{id: web-a1}]}]
        """
    static let script = "#!/bin/bash\ncd \"$(mktemp -d)\" && echo hi > index.html\nexec python3 -m http.server 8080\n"
    static let subnetId = AWSIdentity().subnetId("subnet-1a")

    /// Exactly what terraform's aws provider 5.100 sends for an `aws_instance` (captured).
    static var terraformLaunch: [String: String] {
        ["ClientToken": "terraform-20261128133000000000000001", "CreditSpecification.CpuCredits": "unlimited",
         "DisableApiTermination": "false", "EbsOptimized": "false", "HibernationOptions.Configured": "false",
         "ImageId": "ami-12345678", "InstanceType": "t3.micro", "MaxCount": "1", "MinCount": "1", "Monitoring.Enabled": "false",
         "Placement.AvailabilityZone": "",
         "SubnetId": subnetId, "UserData": Data(script.utf8).base64EncodedString()]
    }

    static func instanceIds(_ nodes: [XMLNode]) -> [String] {
        func find(_ node: XMLNode) -> [String] {
            switch node {
            case .text("instanceId", let id): [id]
            case .text: []
            case .element(_, let children): children.flatMap(find)
            }
        }
        return nodes.flatMap(find)
    }

    @Test func terraformsLaunchMakesAnInstanceWithItsUserDataAndAClientTokenRetryMakesNoOther() async throws {
        let api = try APIHarness(yaml: Self.network)
        let first = try await api.ec2("RunInstances", Self.terraformLaunch).get()
        let ids = Self.instanceIds(first)
        #expect(ids.count == 1 && AWSIdentity.isID(ids[0], "i-"), "\(ids)")
        let instance = try #require(api.file?.instances.first { $0.name == ids[0] })
        #expect(instance.userData == Self.script && instance.imageId == "ami-12345678" && instance.instanceType == "t3.micro")
        #expect(instance.cpuCredits == "unlimited" && instance.subnet == "subnet-1a" && !instance.disableApiTermination)
        // The state file round-trips through the encoder, user data included.
        let file = try #require(api.file)
        let text = try StateFileEncoder.yaml(file)
        #expect(try StateFileLoader.parse(text, source: "export") == file, "\(text)")
        #expect(text.contains("userData: |"), "\(text)")
        let retry = try await api.ec2("RunInstances", Self.terraformLaunch).get()
        #expect(Self.instanceIds(retry) == ids)
        #expect(api.file?.instances.count == 2)
        var changed = Self.terraformLaunch
        changed["InstanceType"] = "t3.small"
        #expect(await api.ec2("RunInstances", changed).failure?.code == "IdempotentParameterMismatch")
    }

    @Test(arguments: ["echo one", "  indented first\n\tand a tab\n", "trailing spaces   \n\n\n", "quotes ' \" and: colons # not comments\n",
                      "#!/bin/bash\nprintf '%s\\n' \"$HOME\" \u{e9}t\u{e9}\r\n"])
    func userDataSurvivesExport(script: String) throws {
        let file = StateFile(vpcs: [StateFile.VPC(name: "main", cidr: IPv4Network("10.0.0.0/16")!,
                                                  subnets: [StateFile.Subnet(name: "s", az: "a", cidr: IPv4Network("10.0.1.0/24")!)])],
                             instances: [StateFile.Instance(name: "web", subnet: "s", userData: script)])
        let text = try StateFileEncoder.yaml(file)
        #expect(try StateFileLoader.parse(text, source: "export").instances.first?.userData == script, "\(text)")
    }

    @Test func severalInstancesShareOneReservation() async throws {
        let api = try APIHarness(yaml: Self.network)
        var launch = Self.terraformLaunch
        launch["ClientToken"] = nil
        launch["MinCount"] = "2"
        launch["MaxCount"] = "3"
        let result = try await api.ec2("RunInstances", launch).get()
        let ids = Self.instanceIds(result)
        #expect(Set(ids).count == 3)
        let described = try await api.ec2Document("DescribeInstances", ["InstanceId.1": ids[0], "InstanceId.2": ids[2]])
        #expect(described.components(separatedBy: "<reservationId>").count == 2, "\(described)")
        #expect(described.contains("<amiLaunchIndex>2</amiLaunchIndex>"), "\(described)")
        launch["MinCount"] = "21"
        launch["MaxCount"] = "30"
        #expect(await api.ec2("RunInstances", launch).failure?.code == "InstanceLimitExceeded")
    }

    @Test func whatLbnetDoesNotDoIsRefusedByNameAndChangesNothing() async throws {
        let api = try APIHarness(yaml: Self.network)
        let before = api.file
        let cases: [(change: [String: String?], code: String, named: String)] = [
            (["KeyName": "mine"], "UnknownParameter", "KeyName"),
            (["EbsOptimized": "true"], "InvalidParameterValue", "EbsOptimized"),
            (["Monitoring.Enabled": "true"], "InvalidParameterValue", "Monitoring"),
            (["HibernationOptions.Configured": "true"], "InvalidParameterValue", "HibernationOptions"),
            (["InstanceType": "z9.huge"], "InvalidInstanceType", "z9.huge"),
            (["InstanceType": "m5.large"], "InvalidParameterCombination", "CreditSpecification"),
            (["ImageId": "ami-xyz"], "InvalidAMIID.Malformed", "ami-xyz"),
            (["ImageId": nil], "MissingParameter", "ImageId"),
            (["SubnetId": nil], "VPCIdNotSpecified", "VPC"),
            (["SubnetId": "subnet-00000000000000000"], "SubnetNotFound", "subnet-00000000000000000"),
            (["UserData": "not base64!"], "InvalidParameterValue", "BASE64"),
            (["Placement.AvailabilityZone": "local-1b"], "InvalidParameterValue", "local-1b"),
            (["Placement.Tenancy": "dedicated"], "InvalidParameterValue", "dedicated"),
            (["PrivateIpAddress": "10.0.1.11"], "InvalidIPAddress.InUse", "10.0.1.11"),
            (["PrivateIpAddress": "10.0.9.11"], "InvalidParameterValue", "10.0.9.11"),
            (["MinCount": "20", "MaxCount": "20", "SubnetId": AWSIdentity().subnetId("tiny")], "InsufficientFreeAddressesInSubnet", "subnet-"),
            (["UserData": Data("#cloud-config\npackages: [nginx]\n".utf8).base64EncodedString()], "InvalidParameterValue", "cloud-init"),
            (["UserData": Data("#!/usr/bin/python3\nprint(1)\n".utf8).base64EncodedString()], "InvalidParameterValue", "shell script"),
            (["UserData": Data(String(repeating: "#", count: 16385).utf8).base64EncodedString()], "InvalidParameterValue", "16384"),
        ]
        for (change, code, named) in cases {
            var launch = Self.terraformLaunch
            for (key, value) in change { launch[key] = value }
            let error = await api.ec2("RunInstances", launch).failure
            #expect(error?.code == code && error?.message.contains(named) == true, "\(change): \(String(describing: error))")
        }
        #expect(api.file == before)
    }

    /// The fields clients read (the shapes themselves: ``APIResponseShapeTests``).
    @Test func answersCarryTheInstancesFields() async throws {
        let api = try APIHarness(yaml: Self.network)
        let id = Self.instanceIds(try await api.ec2("RunInstances", Self.terraformLaunch).get())[0]
        let pending = try await api.ec2Document("DescribeInstances", ["InstanceId.1": id])
        try await api.reconciled()
        let described = try await api.ec2Document("DescribeInstances", ["InstanceId.1": id])
        #expect(pending.contains("<name>pending</name>") || pending == described, "\(pending)")
        let again = try await api.ec2Document("DescribeInstances", ["InstanceId.1": id])
        #expect(described == again, "the launch time moved")
        for field in ["<instanceId>\(id)</instanceId>", "<instanceState><code>16</code><name>running</name></instanceState>",
                      "<instanceType>t3.micro</instanceType>", "<imageId>ami-12345678</imageId>", "<subnetId>\(Self.subnetId)</subnetId>",
                      "<privateIpAddress>10.0.1.12</privateIpAddress>", "<blockDeviceMapping></blockDeviceMapping>",
                      "<availabilityZone>local-1a</availabilityZone>", "<launchTime>", "<clientToken>terraform-"] {
            #expect(described.contains(field), "\(field) in \(described)")
        }
        let userData = try await api.ec2Document("DescribeInstanceAttribute", ["InstanceId": id, "Attribute": "userData"])
        #expect(userData.contains("<userData><value>\(Data(Self.script.utf8).base64EncodedString())</value></userData>"), "\(userData)")
        let credits = try await api.ec2Document("DescribeInstanceCreditSpecifications", ["InstanceId.1": id])
        #expect(credits.contains("<cpuCredits>unlimited</cpuCredits>"), "\(credits)")
        let type = try await api.ec2Document("DescribeInstanceTypes", ["InstanceType.1": "t3.micro"])
        #expect(type.contains("<vCpuInfo><defaultVCpus>2</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>1024</sizeInMiB></memoryInfo>"), "\(type)")
        let volumes = try await api.ec2Document("DescribeVolumes", ["Filter.1.Name": "attachment.instance-id", "Filter.1.Value.1": id])
        #expect(volumes.contains("<volumeSet></volumeSet>"), "\(volumes)")
        let tags = try await api.ec2Document("DescribeTags", ["Filter.1.Name": "resource-type", "Filter.1.Value.1": "instance"])
        #expect(tags.contains("<resourceId>\(AWSIdentity().instanceId("web-a1"))</resourceId>") && !tags.contains(id), "\(tags)")
        let terminated = try await api.ec2Document("TerminateInstances", ["InstanceId.1": id])
        #expect(terminated.contains("<currentState><code>32</code><name>shutting-down</name></currentState>"
            + "<previousState><code>16</code><name>running</name></previousState>"), "\(terminated)")
    }

    @Test func terminationProtectionAndTerminationLeavingTargetGroups() async throws {
        let api = try APIHarness(yaml: Self.network)
        let id = AWSIdentity().instanceId("web-a1")
        _ = try await api.ec2("ModifyInstanceAttribute", ["InstanceId": id, "DisableApiTermination.Value": "true"]).get()
        let refused = await api.ec2("TerminateInstances", ["InstanceId.1": id]).failure
        #expect(refused?.code == "OperationNotPermitted" && refused?.message.contains("disableApiTermination") == true)
        #expect(api.file?.instances.count == 1)
        let protected = try await api.ec2Document("DescribeInstanceAttribute", ["InstanceId": id, "Attribute": "disableApiTermination"])
        #expect(protected.contains("<disableApiTermination><value>true</value></disableApiTermination>"), "\(protected)")
        #expect(await api.ec2("ModifyInstanceAttribute", ["InstanceId": id, "SourceDestCheck.Value": "false"]).failure?.code == "UnknownParameter")
        #expect(await api.ec2("ModifyInstanceAttribute", ["InstanceId": id, "Attribute": "instanceType", "Value": "t3.large"])
            .failure?.message.contains("instanceType") == true)
        #expect(await api.ec2("DescribeInstanceAttribute", ["InstanceId": id, "Attribute": "kernel"]).failure?.message.contains("kernel") == true)
        _ = try await api.ec2("ModifyInstanceAttribute", ["InstanceId": id, "Attribute": "disableApiTermination", "Value": "false"]).get()
        _ = try await api.ec2("TerminateInstances", ["InstanceId.1": id]).get()
        #expect(api.file?.instances.isEmpty == true && api.file?.targetGroups.first?.targets.isEmpty == true)
        // EC2 (and terraform's destroy, which waits for it) keeps showing it as terminated.
        let described = try await api.ec2Document("DescribeInstances", ["Filter.1.Name": "instance-state-name", "Filter.1.Value.1": "terminated"])
        #expect(described.contains("<instanceId>\(id)</instanceId>") && described.contains("<code>48</code><name>terminated</name>"), "\(described)")
        let again = try await api.ec2Document("TerminateInstances", ["InstanceId.1": id])
        #expect(again.contains("<currentState><code>48</code><name>terminated</name></currentState>"), "\(again)")
        #expect(await api.ec2("DescribeInstanceAttribute", ["InstanceId": id, "Attribute": "userData"]).failure?.code == "InvalidInstanceID.NotFound")
        #expect(await api.ec2("TerminateInstances", ["InstanceId.1": "i-00000000000000000"]).failure?.code == "InvalidInstanceID.NotFound")
    }

    @Test func instanceTypesAndVolumes() async throws {
        let api = try APIHarness(yaml: Self.network)
        let unknown = await api.ec2("DescribeInstanceTypes", ["InstanceType.1": "t3.micro", "InstanceType.2": "q7.mega"]).failure
        #expect(unknown?.code == "InvalidInstanceType" && unknown?.message.contains("q7.mega") == true)
        #expect(await api.ec2("DescribeVolumes", ["VolumeId.1": "vol-0123"]).failure?.code == "InvalidVolume.NotFound")
        #expect(await api.ec2("DescribeInstances", ["DryRun": "true"]).failure?.code == "UnknownParameter")
    }

    @Test func userDataRunsAsAShellScriptFromItsInput() throws {
        let script = try #require(UserDataScript("#!/usr/bin/env bash\necho hi\n"))
        #expect(script.shell == ["/usr/bin/env", "bash"] && script.command.prefix(3) == ["/usr/bin/env", "bash", "-c"])
        #expect(UserDataScript("echo plain\n")?.shell == ["/bin/sh"])
        #expect(UserDataScript("#!/bin/dash\n")?.shell == ["/bin/dash"])
        #expect(UserDataScript("#!/usr/bin/perl\n") == nil && UserDataScript("#cloud-config\n") == nil)
        #expect(!script.command.joined().contains("echo hi"), "the script is on the command line")
        func messages(_ instance: String) throws -> String {
            let file = "vpcs: [{name: main, cidr: 10.0.0.0/16, subnets: [{name: s, az: a, cidr: 10.0.1.0/24}]}]\ninstances: [\(instance)]"
            let error = try #require(throws: StateFileError.self) { try StateFileLoader.parse(file, source: "test") }
            return error.issues.map(\.message).joined(separator: "\n")
        }
        #expect(try messages(#"{name: web, subnet: s, userData: "echo hi", run: [sleep, "1"]}"#).contains("either 'run' or its 'userData'"))
        let fields = try messages("{name: web, subnet: s, instanceType: m5.large, cpuCredits: unlimited, imageId: ami-1, userData: '#!/bin/zsh'}")
        #expect(fields.contains("burstable") && fields.contains("AMI ID") && fields.contains("#!/bin/zsh"), "\(fields)")
    }
}

extension Result {
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}
