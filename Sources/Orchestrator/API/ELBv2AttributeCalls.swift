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
        try p.refuseUnknown("DescribeLoadBalancerAttributes", known: ["LoadBalancerArn"])
        let file = model?.file ?? StateFile()
        let balancer = file.loadBalancers[try names(file).loadBalancer(arn: try p.required("LoadBalancerArn"))]
        return [Self.attributes(ELBv2AttributeDefaults.merged(ELBv2AttributeDefaults.loadBalancer(balancer), balancer.attributes))]
    }

    func modifyLoadBalancerAttributes(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("ModifyLoadBalancerAttributes", known: ["LoadBalancerArn", "Attributes.member."])
        let arn = try p.required("LoadBalancerArn")
        let wanted = try Self.wanted(p)
        let (index, model) = try await editIfChanged { (file: inout StateFile, current) throws(APIError) -> Int in
            let index = try APINames(identity: identity, file: file, model: current).loadBalancer(arn: arn)
            let balancer = file.loadBalancers[index]
            file.loadBalancers[index].attributes = try Self.apply(wanted, to: balancer.attributes,
                                                                  defaults: ELBv2AttributeDefaults.loadBalancer(balancer), kind: "Load balancer")
            return index
        }
        let balancer = model.file.loadBalancers[index]
        return [Self.attributes(ELBv2AttributeDefaults.merged(ELBv2AttributeDefaults.loadBalancer(balancer), balancer.attributes))]
    }

    func describeTargetGroupAttributes(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeTargetGroupAttributes", known: ["TargetGroupArn"])
        let file = model?.file ?? StateFile()
        let group = file.targetGroups[try names(file).targetGroup(arn: try p.required("TargetGroupArn"))]
        return [Self.attributes(ELBv2AttributeDefaults.merged(ELBv2AttributeDefaults.targetGroup(group), group.attributes))]
    }

    func modifyTargetGroupAttributes(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("ModifyTargetGroupAttributes", known: ["TargetGroupArn", "Attributes.member."])
        let arn = try p.required("TargetGroupArn")
        let wanted = try Self.wanted(p)
        let (index, model) = try await editIfChanged { (file: inout StateFile, current) throws(APIError) -> Int in
            let index = try APINames(identity: identity, file: file, model: current).targetGroup(arn: arn)
            let group = file.targetGroups[index]
            file.targetGroups[index].attributes = try Self.apply(wanted, to: group.attributes,
                                                                 defaults: ELBv2AttributeDefaults.targetGroup(group), kind: "Target group")
            return index
        }
        let group = model.file.targetGroups[index]
        return [Self.attributes(ELBv2AttributeDefaults.merged(ELBv2AttributeDefaults.targetGroup(group), group.attributes))]
    }

    func describeListenerAttributes(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeListenerAttributes", known: ["ListenerArn"])
        let (balancer, index) = try listenerPosition(arn: try p.required("ListenerArn"), in: model?.file ?? StateFile())
        let listener = (model?.file ?? StateFile()).loadBalancers[balancer].listeners[index]
        return [Self.attributes(ELBv2AttributeDefaults.merged(ELBv2AttributeDefaults.listener(listener), listener.attributes))]
    }

    func modifyListenerAttributes(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("ModifyListenerAttributes", known: ["ListenerArn", "Attributes.member."])
        let arn = try p.required("ListenerArn")
        let wanted = try Self.wanted(p)
        let ((balancer, index), model) = try await editIfChanged { (file: inout StateFile, _) throws(APIError) -> (Int, Int) in
            let (balancer, index) = try listenerPosition(arn: arn, in: file)
            let listener = file.loadBalancers[balancer].listeners[index]
            file.loadBalancers[balancer].listeners[index].attributes = try Self.apply(
                wanted, to: listener.attributes, defaults: ELBv2AttributeDefaults.listener(listener), kind: "Listener")
            return (balancer, index)
        }
        let listener = model.file.loadBalancers[balancer].listeners[index]
        return [Self.attributes(ELBv2AttributeDefaults.merged(ELBv2AttributeDefaults.listener(listener), listener.attributes))]
    }

    // MARK: Parts

    private func names(_ file: StateFile) -> APINames { APINames(identity: identity, file: file, model: model) }

    /// The positions of the load balancer and the listener `arn` names in `file`.
    private func listenerPosition(arn: String, in file: StateFile) throws(APIError) -> (Int, Int) {
        for (position, balancer) in file.loadBalancers.enumerated() {
            if let index = balancer.listeners.firstIndex(where: { identity.listenerArn(balancer.name, type: balancer.type, port: $0.port) == arn }) {
                return (position, index)
            }
        }
        throw APIError("ListenerNotFound", "One or more listeners not found")
    }

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
