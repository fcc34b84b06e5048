@testable import Orchestrator
import AWSAPI
import Foundation
import Synchronization

/// The API backend over an in-memory desired state: each change the editor applies becomes the
/// model the next call sees (no daemon, no kernel); the status report says every instance's
/// process runs.
final class APIHarness: Sendable {
    let backend: LBNetAPIBackend
    private let state: AppliedModel
    let directory: String

    init(yaml: String) throws {
        let model = try DeploymentModel.resolve(yaml, source: "test", record: ElasticIPRecord())
        let state = AppliedModel(model)
        self.state = state
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-api-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let editor = DesiredStateEditor(model: { state.model.withLock { $0 } }, elasticIPs: { ElasticIPRecord() }) { text in
            do {
                let next = try DeploymentModel.resolve(text, source: DesiredStateEditor.source, record: ElasticIPRecord())
                state.model.withLock { $0 = next }
                return .done(count: 0)
            } catch {
                return .failed(String(describing: error))
            }
        }
        backend = LBNetAPIBackend(
            creationTimes: try APICreationTimes(directory: StateDirectory(path: directory)), model: { state.model.withLock { $0 } },
            report: {
                var report = StatusReport()
                report.hosts = state.model.withLock { $0 }?.topology.hosts.map { host in
                    .init(name: host.name, kind: host.kind.description, subnet: host.subnet, availabilityZone: host.az,
                          namespace: "lbnet-\(host.name)", address: host.address.description, state: "up", process: "running", pid: 1)
                } ?? []
                return report
            },
            editor: editor)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    var file: StateFile? { state.model.withLock { $0?.file } }

    /// The EC2 call's result elements, or its error.
    func ec2(_ action: String, _ parameters: [String: String]) async -> Result<[XMLNode], APIError> {
        do {
            return .success(try await backend.handle(APICall(service: .ec2, action: action, parameters: QueryParameters(parameters),
                                                              requestId: "test")))
        } catch {
            return .failure(error)
        }
    }

    /// The EC2 call's response document, as the endpoint sends it.
    func ec2Document(_ action: String, _ parameters: [String: String]) async throws -> String {
        let result = try await ec2(action, parameters).get()
        return AWSService.ec2.response(action: action, result: result, requestId: "test")
    }
}

/// The model the harness's editor last applied.
final class AppliedModel: Sendable {
    let model: Mutex<DeploymentModel?>
    init(_ model: DeploymentModel?) { self.model = Mutex(model) }
}

/// Checks a response document against botocore's model of the operation's output: every
/// element must be a member there (by its serialised name), and botocore's own parser gives
/// the dictionary a boto3 client would see.
enum BotocoreShapes {
    static let available: Bool = (try? python(["-c", "import botocore.parsers"], input: "").status) == 0

    struct Check: Decodable {
        /// Paths of elements the shape does not have.
        let unknown: [String]
        /// botocore's parse, as JSON (timestamps as text).
        let parsed: [String: JSONValue]
    }

    static func check(_ operation: String, service: String = "ec2", document: String) throws -> Check {
        let output = try python(["-c", script, operation, service], input: document)
        guard output.status == 0 else { throw CheckFailed(output: output.text) }
        return try JSONDecoder().decode(Check.self, from: Data(output.text.utf8))
    }

    struct CheckFailed: Error { let output: String }

    private static func python(_ arguments: [String], input: String) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static let script = #"""
        import sys, json
        import xml.etree.ElementTree as ET
        from botocore.loaders import Loader
        from botocore.model import ServiceModel
        from botocore.parsers import create_parser
        operation, service = sys.argv[1], sys.argv[2]
        body = sys.stdin.read()
        model = ServiceModel(Loader().load_service_model(service, "service-2"))
        shape = model.operation_model(operation).output_shape
        unknown = []
        def name(tag): return tag.split("}", 1)[-1]
        def walk(element, shape, path):
            if shape.type_name == "structure":
                members = {m.serialization.get("name", n): m for n, m in shape.members.items()}
                for child in element:
                    member = members.get(name(child.tag))
                    if member is None: unknown.append(path + "/" + name(child.tag))
                    else: walk(child, member, path + "/" + name(child.tag))
            elif shape.type_name == "list":
                item = shape.member.serialization.get("name", "item")
                for child in element:
                    if name(child.tag) != item: unknown.append(path + "/" + name(child.tag))
                    else: walk(child, shape.member, path + "/" + item)
        root = ET.fromstring(body)
        walk(ET.fromstring("<r>" + "".join(ET.tostring(c, encoding="unicode") for c in root if name(c.tag) != "requestId") + "</r>"),
             shape, "")
        parsed = create_parser(model.metadata["protocol"]).parse({"body": body.encode(), "headers": {}, "status_code": 200}, shape)
        parsed.pop("ResponseMetadata", None)
        print(json.dumps({"unknown": unknown, "parsed": parsed}, default=str))
        """#
}

/// Any JSON value, to look into botocore's parse.
enum JSONValue: Decodable, Equatable {
    case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    subscript(_ key: String) -> JSONValue? { if case .object(let fields) = self { fields[key] } else { nil } }
    subscript(_ index: Int) -> JSONValue? { if case .array(let items) = self, items.indices.contains(index) { items[index] } else { nil } }
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let items) = self { items } else { nil } }
}
