import AWSAPI

/// ELBv2's attribute calls for load balancers, target groups and listeners. Describe answers
/// every attribute AWS lists (``ELBv2AttributeDefaults``) with the state file's values in place;
/// Modify writes into the file only the attributes whose value differs from what the object
/// has, so the validator judges each real change (and names what lbnet does not implement),
/// while a client that restates defaults (terraform does) changes nothing.
struct ELBv2AttributeCalls {
    let identity: AWSIdentity
    let editor: DesiredStateEditor
    let model: DeploymentModel?

    func describeLoadBalancerAttributes(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try describe(p, "DescribeLoadBalancerAttributes", arnField: "LoadBalancerArn", holder: loadBalancer)
    }

    func modifyLoadBalancerAttributes(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try await modify(p, "ModifyLoadBalancerAttributes", arnField: "LoadBalancerArn", holder: loadBalancer)
    }

    func describeTargetGroupAttributes(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try describe(p, "DescribeTargetGroupAttributes", arnField: "TargetGroupArn", holder: targetGroup)
    }

    func modifyTargetGroupAttributes(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try await modify(p, "ModifyTargetGroupAttributes", arnField: "TargetGroupArn", holder: targetGroup)
    }

    func describeListenerAttributes(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try describe(p, "DescribeListenerAttributes", arnField: "ListenerArn", holder: listener)
    }

    func modifyListenerAttributes(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try await modify(p, "ModifyListenerAttributes", arnField: "ListenerArn", holder: listener)
    }

    // MARK: Holders

    /// Where the attributes of the object an ARN names are in a state file, with AWS's
    /// defaults for that object and its kind's name for errors.
    struct AttributeHolder: Sendable {
        let attributes: WritableKeyPath<StateFile, [String: String]> & Sendable
        let defaults: [(String, String)]
        let kind: String
    }

    private func loadBalancer(arn: String, in file: StateFile, model: DeploymentModel?) throws(APIError) -> AttributeHolder {
        let index = try APINames(identity: identity, file: file, model: model).loadBalancer(arn: arn)
        return AttributeHolder(attributes: \.loadBalancers[index].attributes,
                               defaults: ELBv2AttributeDefaults.loadBalancer(file.loadBalancers[index]), kind: "Load balancer")
    }

    private func targetGroup(arn: String, in file: StateFile, model: DeploymentModel?) throws(APIError) -> AttributeHolder {
        let index = try APINames(identity: identity, file: file, model: model).targetGroup(arn: arn)
        return AttributeHolder(attributes: \.targetGroups[index].attributes,
                               defaults: ELBv2AttributeDefaults.targetGroup(file.targetGroups[index]), kind: "Target group")
    }

    private func listener(arn: String, in file: StateFile, model: DeploymentModel?) throws(APIError) -> AttributeHolder {
        let (position, index) = try ListenerRuleARNs(identity: identity).listener(arn: arn, in: file)
        return AttributeHolder(attributes: \.loadBalancers[position].listeners[index].attributes,
                               defaults: ELBv2AttributeDefaults.listener(file.loadBalancers[position].listeners[index]), kind: "Listener")
    }

    private typealias Locate = @Sendable (String, StateFile, DeploymentModel?) throws(APIError) -> AttributeHolder

    /// Every attribute AWS lists for the object, with the file's values in place.
    private func describe(_ p: QueryParameters, _ action: String, arnField: String, holder locate: Locate) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown(action, known: [arnField])
        let file = model?.file ?? StateFile()
        let holder = try locate(try p.required(arnField), file, model)
        return [Self.attributes(ELBv2AttributeDefaults.merged(holder.defaults, file[keyPath: holder.attributes]))]
    }

    /// Writes the attributes that change into the file, then answers them all as describe does.
    private func modify(_ p: QueryParameters, _ action: String, arnField: String, holder locate: @escaping Locate) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown(action, known: [arnField, "Attributes.member."])
        let arn = try p.required(arnField)
        let wanted = try Self.wanted(p)
        let (holder, model) = try await editIfChanged { (file: inout StateFile, current) throws(APIError) -> AttributeHolder in
            let holder = try locate(arn, file, current)
            file[keyPath: holder.attributes] = try Self.apply(wanted, to: file[keyPath: holder.attributes],
                                                             defaults: holder.defaults, kind: holder.kind)
            return holder
        }
        return [Self.attributes(ELBv2AttributeDefaults.merged(holder.defaults, model.file[keyPath: holder.attributes]))]
    }

    // MARK: Parts

    /// Applies the edit through the editor only when it changes the file; otherwise answers
    /// from the model as it is, without a reconcile.
    private func editIfChanged<T: Sendable>(_ edit: @Sendable (inout StateFile, DeploymentModel?) throws(APIError) -> T) async throws(APIError) -> (T, DeploymentModel) {
        var file = model?.file ?? StateFile()
        let result = try edit(&file, model)
        if let model, file == model.file { return (result, model) }
        return try await editor.edit(edit)
    }

    static func wanted(_ p: QueryParameters) throws(APIError) -> [(String, String)] {
        let pairs = try p.structures("Attributes.member.").map { attribute throws(APIError) in
            (try attribute.required("Key"), attribute["Value"] ?? "")
        }
        guard !pairs.isEmpty else { throw .validation("Attributes must name at least one attribute") }
        return pairs
    }

    /// `set` with each wanted value that differs from the current one written in; a key AWS
    /// does not list for the object is refused, as AWS does. Values are judged by the
    /// validator's catalogues (what lbnet does not implement is refused by name there).
    static func apply(_ wanted: [(String, String)], to set: [String: String], defaults: [(String, String)],
                      kind: String) throws(APIError) -> [String: String] {
        var result = set
        for (key, value) in wanted {
            guard let fallback = defaults.first(where: { $0.0 == key })?.1 else {
                throw .validation("\(kind) attribute key '\(key)' is not recognized")
            }
            guard (set[key] ?? fallback) != value else { continue }
            result[key] = value
        }
        return result
    }

    static func attributes(_ pairs: [(String, String)]) -> XMLNode {
        .members("Attributes", pairs.map { key, value in [.text("Key", key), .text("Value", value)] })
    }
}
