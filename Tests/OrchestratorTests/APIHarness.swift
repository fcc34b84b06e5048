@testable import Orchestrator
import AWSAPI
import Foundation
import Synchronization

/// The API backend over an in-memory desired state (no daemon, no kernel): a reconcile makes
/// the edited state the applied one at once, and the status report says every applied
/// instance's process runs.
final class APIHarness: Sendable {
    let backend: LBNetAPIBackend
    private let state: APIResponseShapeTests.Applied
    let directory: String

    init(yaml: String) throws {
        let model = try DeploymentModel.resolve(yaml, source: "test", record: ElasticIPRecord())
        let state = APIResponseShapeTests.Applied(model)
        self.state = state
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-api-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let editor = DesiredStateEditor(applied: { state.model.withLock { $0 } }, elasticIPs: { ElasticIPRecord() },
                                        logger: .init(label: "test")) { text in
            do {
                let next = try DeploymentModel.resolve(text, source: DesiredStateEditor.source, record: ElasticIPRecord())
                state.model.withLock { $0 = next }
                return .done(count: 1)
            } catch {
                return .failed(String(describing: error))
            }
        }
        backend = LBNetAPIBackend(
            creationTimes: try APICreationTimes(directory: StateDirectory(path: directory)),
            report: {
                // Every instance the kernel has runs its process.
                var report = StatusReport()
                report.hosts = state.model.withLock { $0 }?.topology.hosts.map { host in
                    .init(name: host.name, kind: host.kind.description, subnet: host.subnet, availabilityZone: host.az,
                          namespace: "lbnet-\(host.name)", address: host.address.description, state: "up", process: "running", pid: 1)
                } ?? []
                return report
            },
            editor: editor, tags: try APITagStore(path: "\(directory)/api-tags.json"))
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The newest desired state (what the calls accepted, reconciled or not).
    var file: StateFile? { backend.editor.model()?.file }

    /// Waits (up to 5 s) until the background reconcile made every accepted edit the applied state.
    func reconciled() async throws {
        for _ in 0..<500 where backend.editor.model()?.file != state.model.withLock({ $0?.file }) {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The call's result elements, or its error.
    func call(_ service: AWSService, _ action: String, _ parameters: [String: String]) async -> Result<[XMLNode], APIError> {
        do {
            return .success(try await backend.handle(APICall(service: service, action: action, parameters: QueryParameters(parameters),
                                                              requestId: "test")))
        } catch {
            return .failure(error)
        }
    }

    /// The EC2 call's result elements, or its error.
    func ec2(_ action: String, _ parameters: [String: String]) async -> Result<[XMLNode], APIError> {
        await call(.ec2, action, parameters)
    }

    /// The EC2 call's response document, as the endpoint sends it.
    func ec2Document(_ action: String, _ parameters: [String: String]) async throws -> String {
        let result = try await ec2(action, parameters).get()
        return AWSService.ec2.response(action: action, result: result, requestId: "test")
    }
}
