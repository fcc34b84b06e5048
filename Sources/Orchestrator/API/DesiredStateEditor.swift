import AWSAPI

/// Changes the desired state for the API, one call at a time: takes the state file last
/// applied (whether `up -f` or the API made it), applies the call's edit, checks the result
/// with the same validator as a file (a refusal changes nothing), and has the runtime apply it.
actor DesiredStateEditor {
    /// The source name the runtime and messages give the API's state.
    static let source = "AWS API"

    let model: @Sendable () -> DeploymentModel?
    let elasticIPs: @Sendable () -> ElasticIPRecord
    let apply: @Sendable (String) async -> DaemonReply

    init(model: @escaping @Sendable () -> DeploymentModel?, elasticIPs: @escaping @Sendable () -> ElasticIPRecord,
         apply: @escaping @Sendable (String) async -> DaemonReply) {
        self.model = model
        self.elasticIPs = elasticIPs
        self.apply = apply
    }

    /// Runs `edit` on the current state file and applies the result; returns what `edit`
    /// returned and the model now applied.
    func edit<T: Sendable>(_ edit: (inout StateFile, DeploymentModel?) throws(APIError) -> T) async throws(APIError) -> (T, DeploymentModel) {
        let current = model()
        var file = current?.file ?? StateFile()
        let result = try edit(&file, current)
        let text: String
        let next: DeploymentModel
        do {
            text = try StateFileEncoder.yaml(file)
            next = try DeploymentModel.resolve(text, source: Self.source, record: elasticIPs(), previous: current?.file)
        } catch let error as StateFileError {
            throw Self.apiError(error)
        } catch {
            throw APIError("ValidationError", String(describing: error))
        }
        switch await apply(text) {
        case .done: return (result, next)
        case .failed(let reason): throw .internalFailure("lbnet could not apply the change: \(reason)")
        default: throw .internalFailure("lbnet could not apply the change")
        }
    }

    /// The validator's refusal as AWS's error: its code where the message starts with one
    /// (`ResourceInUse: ...`), else `ValidationError`; every issue with its field.
    static func apiError(_ error: StateFileError) -> APIError {
        let first = error.issues.first?.message ?? ""
        let prefix = first.prefix { $0 != ":" }
        let code = first.contains(":") && prefix.first?.isUppercase == true && prefix.allSatisfy(\.isLetter) ? String(prefix) : "ValidationError"
        return APIError(code, error.issues.map { issue in
            let message = issue.message.hasPrefix("\(code): ") ? String(issue.message.dropFirst(code.count + 2)) : issue.message
            return issue.path.isEmpty || code != "ValidationError" ? message : "\(issue.path): \(message)"
        }.joined(separator: "; "))
    }
}
