import AWSAPI
import Logging
import Synchronization

/// Changes the desired state for the API. Each call's edit applies to the newest desired state
/// (the file last applied, or the edits still waiting for the kernel), is checked with the same
/// validator as a file (a refusal changes nothing), and returns as soon as it is accepted:
/// the daemon reconciles in the background, one reconcile for however many edits arrived while
/// the previous one ran, so a burst of calls (terraform creating 30 objects) costs few reconciles.
actor DesiredStateEditor {
    /// The source name the runtime and messages give the API's state.
    static let source = "AWS API"

    let applied: @Sendable () -> DeploymentModel?
    let elasticIPs: @Sendable () -> ElasticIPRecord
    let apply: @Sendable (String) async -> DaemonReply
    let logger: Logger
    /// The desired model the kernel does not match yet; readable without awaiting the actor.
    private let waiting = Mutex<DeploymentModel?>(nil)
    private var waitingText: String?
    private var accepted = 0
    private var reconciled = 0
    private var reconciling = false

    init(applied: @escaping @Sendable () -> DeploymentModel?, elasticIPs: @escaping @Sendable () -> ElasticIPRecord,
         logger: Logger, apply: @escaping @Sendable (String) async -> DaemonReply) {
        self.applied = applied
        self.elasticIPs = elasticIPs
        self.logger = logger
        self.apply = apply
    }

    /// The newest desired model: with the accepted edits the kernel does not match yet.
    nonisolated func model() -> DeploymentModel? {
        waiting.withLock { $0 } ?? applied()
    }

    /// Runs `edit` on the newest desired state file and queues the result for the kernel;
    /// returns what `edit` returned and the desired model now.
    func edit<T: Sendable>(_ edit: (inout StateFile, DeploymentModel?) throws(APIError) -> T) async throws(APIError) -> (T, DeploymentModel) {
        let base = waiting.withLock { $0 }
        let current = base ?? applied()
        var file = current?.file ?? StateFile()
        let result = try edit(&file, current)
        let text: String
        let next: DeploymentModel
        do {
            text = try StateFileEncoder.yaml(file)
            next = try DeploymentModel.resolve(text, source: Self.source, record: base?.elasticIPs ?? elasticIPs(), previous: current?.file)
        } catch let error as StateFileError {
            throw Self.apiError(error)
        } catch {
            throw APIError("ValidationError", String(describing: error))
        }
        waiting.withLock { $0 = next }
        waitingText = text
        accepted += 1
        if !reconciling {
            reconciling = true
            Task { await self.reconcile() }
        }
        return (result, next)
    }

    /// Hands the newest accepted state to the runtime until the kernel has caught up with every edit.
    private func reconcile() async {
        while reconciled < accepted, let text = waitingText {
            let generation = accepted
            let reply = await apply(text)
            reconciled = generation
            if case .failed(let reason) = reply {
                logger.error("the AWS API's change could not be applied", metadata: ["reason": "\(reason)"])
            }
        }
        reconciling = false
        waitingText = nil
        waiting.withLock { $0 = nil }
    }

    /// The validator's refusal as AWS's error: the code of the first issue whose message starts
    /// with one (`ResourceInUse: ...`), else `ValidationError`; every issue with its field, and
    /// without its own code.
    static func apiError(_ error: StateFileError) -> APIError {
        func ownCode(_ message: String) -> String? {
            let prefix = message.prefix { $0 != ":" }
            guard message.contains(":"), prefix.first?.isUppercase == true, prefix.allSatisfy(\.isLetter) else { return nil }
            return String(prefix)
        }
        let code = error.issues.lazy.compactMap { ownCode($0.message) }.first ?? "ValidationError"
        return APIError(code, error.issues.map { issue in
            let own = ownCode(issue.message)
            let message = own.map { String(issue.message.dropFirst($0.count + 2)) } ?? issue.message
            return issue.path.isEmpty || own != nil ? message : "\(issue.path): \(message)"
        }.joined(separator: "; "))
    }
}
