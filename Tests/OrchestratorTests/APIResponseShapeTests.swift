import AWSAPI
import Foundation
@testable import Orchestrator
import Synchronization
import Testing

/// Whether python3 can import botocore (scripts/install-test-clients installs it).
let botocoreAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import botocore"]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// Every answer of lbnet's API, checked against the output shapes of botocore's models (the
/// models the AWS SDKs are built from): each element must be a member of its shape (by its
/// wire name), lists must use the protocol's item element, numbers, booleans and enums must
/// parse, and botocore's own parser must read the document.
@Suite(.enabled(if: botocoreAvailable, "needs python3 with botocore (scripts/install-test-clients)"))
struct APIResponseShapeTests {
    /// A daemon stand-in: applying a state file makes it the applied model at once.
    final class Applied: Sendable {
        let model: Mutex<DeploymentModel?>
        init(_ model: DeploymentModel?) { self.model = Mutex(model) }
    }

    static let checker = #"""
        import json, sys, xml.etree.ElementTree as ET
        import botocore.session, botocore.parsers
        session = botocore.session.get_session()
        names = {"elasticloadbalancing": "elbv2", "ec2": "ec2", "sts": "sts"}
        problems = []
        def local(tag): return tag.split("}")[-1]
        def check(element, shape, path, item):
            kind = shape.type_name
            if kind == "structure":
                members = {m.serialization.get("name", n): m for n, m in shape.members.items()}
                for child in element:
                    name = local(child.tag)
                    if name not in members: problems.append(f"{path}/{name}: not a member of {shape.name}")
                    else: check(child, members[name], f"{path}/{name}", item)
            elif kind == "list":
                wrapper = shape.member.serialization.get("name", item)
                for child in element:
                    if local(child.tag) != wrapper: problems.append(f"{path}/{local(child.tag)}: list items are <{wrapper}>")
                    else: check(child, shape.member, f"{path}/{wrapper}", item)
            elif kind != "map":
                text = element.text or ""
                if len(list(element)): problems.append(f"{path}: the {kind} has child elements")
                elif kind in ("integer", "long") and not text.lstrip("-").isdigit(): problems.append(f"{path}: '{text}' is not an integer")
                elif kind == "boolean" and text not in ("true", "false"): problems.append(f"{path}: '{text}' is not a boolean")
                elif kind == "string" and shape.enum and text not in shape.enum: problems.append(f"{path}: '{text}' is not one of {shape.enum}")
        for call in json.load(sys.stdin):
            model = session.get_service_model(names[call["service"]])
            operation = model.operation_model(call["action"])
            root = ET.fromstring(call["xml"])
            if model.protocol == "ec2":
                result, item = [c for c in root if local(c.tag) != "requestId"], "item"
            else:
                result, item = list(root.find("{*}" + call["action"] + "Result") or []), "member"
            holder = ET.Element("result"); holder.extend(result)
            if operation.output_shape is not None: check(holder, operation.output_shape, call["action"], item)
            parser = botocore.parsers.create_parser(model.protocol)
            parsed = parser.parse({"body": call["xml"].encode(), "headers": {}, "status_code": 200}, operation.output_shape)
            if "Error" in parsed: problems.append(f"{call['action']}: botocore read an error: {parsed['Error']}")
        print("\n".join(problems))
        """#

    @Test func everyAnswerFitsBotocoresOutputShape() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-shapes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let applied = Applied(try DeploymentModel.resolve(StateFileLoader.defaultTopologyYAML, source: "test", record: ElasticIPRecord()))
        let editor = DesiredStateEditor(
            applied: { applied.model.withLock { $0 } }, elasticIPs: { applied.model.withLock { $0?.elasticIPs } ?? ElasticIPRecord() },
            logger: .init(label: "test")) { text in
                let previous = applied.model.withLock { $0 }
                let next = try? DeploymentModel.resolve(text, source: "test", record: previous?.elasticIPs ?? ElasticIPRecord(), previous: previous?.file)
                applied.model.withLock { $0 = next }
                return .done(count: 1)
            }
        let backend = LBNetAPIBackend(creationTimes: try APICreationTimes(directory: StateDirectory(path: directory)), report: { nil }, editor: editor,
                                      tags: try APITagStore(path: "\(directory)/api-tags.json"))
        let identity = AWSIdentity()
        let alb = identity.loadBalancerArn("web-alb", type: .application), group = identity.targetGroupArn("web-instances")
        let listener = identity.listenerArn(StateFile.LoadBalancer(name: "web-alb", type: .application),
                                           StateFile.Listener(protocol: .http, port: 80, defaultActions: []))
        var calls: [(AWSService, String, [String: String])] = [
            (.sts, "GetCallerIdentity", [:]),
            (.elasticLoadBalancingV2, "DescribeLoadBalancers", [:]),
            (.elasticLoadBalancingV2, "DescribeListeners", ["LoadBalancerArn": alb]),
            (.elasticLoadBalancingV2, "DescribeTargetGroups", [:]),
            (.elasticLoadBalancingV2, "DescribeTargetHealth", ["TargetGroupArn": group]),
            (.elasticLoadBalancingV2, "DescribeTags", ["ResourceArns.member.1": alb]),
            (.elasticLoadBalancingV2, "DescribeAccountLimits", [:]),
            (.elasticLoadBalancingV2, "DescribeCapacityReservation", ["LoadBalancerArn": alb]),
            (.elasticLoadBalancingV2, "DescribeLoadBalancerAttributes", ["LoadBalancerArn": alb]),
            (.elasticLoadBalancingV2, "DescribeTargetGroupAttributes", ["TargetGroupArn": group]),
            (.elasticLoadBalancingV2, "DescribeListenerAttributes", ["ListenerArn": listener]),
            (.elasticLoadBalancingV2, "ModifyLoadBalancerAttributes", ["LoadBalancerArn": alb, "Attributes.member.1.Key": "idle_timeout.timeout_seconds",
                                                                        "Attributes.member.1.Value": "120"]),
            (.elasticLoadBalancingV2, "CreateRule", ["ListenerArn": listener, "Priority": "7", "Conditions.member.1.Field": "path-pattern",
                                                     "Conditions.member.1.PathPatternConfig.Values.member.1": "/x",
                                                     "Actions.member.1.Type": "fixed-response",
                                                     "Actions.member.1.FixedResponseConfig.StatusCode": "200"]),
            (.elasticLoadBalancingV2, "DescribeRules", ["ListenerArn": listener]),
            (.elasticLoadBalancingV2, "DescribeSSLPolicies", [:]),
            (.elasticLoadBalancingV2, "ModifyTargetGroup", ["TargetGroupArn": group, "HealthCheckPath": "/ready"]),
            (.elasticLoadBalancingV2, "ModifyListener", ["ListenerArn": listener, "Protocol": "HTTP"]),
            (.elasticLoadBalancingV2, "SetSubnets", ["LoadBalancerArn": alb, "Subnets.member.1": identity.subnetId("subnet-1a"),
                                                     "Subnets.member.2": identity.subnetId("subnet-1b")]),
        ]
        for action in ["DescribeVpcs", "DescribeSubnets", "DescribeAvailabilityZones", "DescribeAddresses", "DescribeInstances",
                       "DescribeRouteTables", "DescribeNetworkAcls", "DescribeSecurityGroups", "DescribeNetworkInterfaces",
                       "DescribeVpcEndpointServiceConfigurations", "DescribeVpcEndpoints", "AllocateAddress"] {
            calls.append((.ec2, action, [:]))
        }
        calls.append((.ec2, "DescribeVpcAttribute", ["VpcId": identity.vpcId("main"), "Attribute": "enableDnsSupport"]))
        calls.append((.ec2, "CreateVpc", ["CidrBlock": "10.9.0.0/16"]))
        calls.append((.ec2, "CreateVpcEndpointServiceConfiguration", ["NetworkLoadBalancerArn.1": identity.loadBalancerArn("web-nlb", type: .network)]))
        let instance = identity.instanceId("web-a1")
        calls += [
            (.ec2, "RunInstances", EC2InstanceCallsTests.terraformLaunch),
            (.ec2, "DescribeInstanceAttribute", ["InstanceId": instance, "Attribute": "userData"]),
            (.ec2, "DescribeInstanceAttribute", ["InstanceId": instance, "Attribute": "disableApiTermination"]),
            (.ec2, "ModifyInstanceAttribute", ["InstanceId": instance, "DisableApiStop.Value": "true"]),
            (.ec2, "DescribeInstanceCreditSpecifications", [:]),
            (.ec2, "DescribeInstanceTypes", [:]),
            (.ec2, "DescribeVolumes", [:]),
            (.ec2, "DescribeTags", [:]),
            (.ec2, "TerminateInstances", ["InstanceId.1": instance]),
        ]
        var documents: [[String: String]] = []
        for (service, action, parameters) in calls {
            do {
                let result = try await backend.handle(APICall(service: service, action: action, parameters: QueryParameters(parameters), requestId: "r"))
                documents.append(["service": service.rawValue, "action": action,
                                  "xml": service.response(action: action, result: result, requestId: "r")])
            } catch {
                Issue.record("\(action) failed: \(error)")
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.checker]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: documents))
        try input.fileHandleForWriting.close()
        let problems = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(documents.count == calls.count)
        #expect(problems.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(problems)")
    }
}
