import AWSAPI

/// ELBv2's rule calls: `CreateRule`, `DescribeRules`, `ModifyRule`, `SetRulePriorities` and
/// `DeleteRule` edit the `rules` of an ALB listener in the desired state. A rule's ARN ends in
/// its `id` (the API sets one on each rule it creates or moves, so the ARN survives a new
/// priority); each listener's default actions answer as its `default` rule.
struct ListenerRuleCalls {
    let identity: AWSIdentity
    let editor: DesiredStateEditor
    let model: DeploymentModel?
    let changes: ELBv2Changes

    private typealias Place = ListenerRuleARNs.Place
    private var arns: ListenerRuleARNs { ListenerRuleARNs(identity: identity) }

    func createRule(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("CreateRule", known: ["ListenerArn", "Priority", "Conditions.member.", "Actions.member."])
        let arn = try p.required("ListenerArn")
        let priority = try Self.priority(try p.required("Priority"))
        let id = AWSIdentity.id("rule", AWSIdentity.newID(""), length: 16)
        let (place, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) -> Place in
            let (b, l) = try arns.listener(arn: arn, in: file)
            if file.loadBalancers[b].listeners[l].rules.contains(where: { $0.priority == priority }) {
                throw APIError("PriorityInUse", "The specified priority is in use.")
            }
            let rule = StateFile.ListenerRule(priority: priority, conditions: try conditions(p), actions: try actions(p, file: file, current: current), id: id)
            file.loadBalancers[b].listeners[l].rules.append(rule)
            return Place(balancer: b, listener: l, rule: file.loadBalancers[b].listeners[l].rules.count - 1)
        }
        return [.members("Rules", [shape(place, in: model.file)])]
    }

    func modifyRule(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("ModifyRule", known: ["RuleArn", "Conditions.member.", "Actions.member."])
        let arn = try p.required("RuleArn")
        let (place, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) -> Place in
            let place = try arns.rule(arn: arn, in: file)
            guard let index = place.rule else {
                throw APIError("OperationNotPermitted", "A default rule cannot be modified; use ModifyListener to change the default actions")
            }
            var rule = file.loadBalancers[place.balancer].listeners[place.listener].rules[index]
            rule.id = arns.ruleId(rule, of: identity.listenerArn(file.loadBalancers[place.balancer], file.loadBalancers[place.balancer].listeners[place.listener]))
            if !p.structures("Conditions.member.").isEmpty { rule.conditions = try conditions(p) }
            if !p.structures("Actions.member.").isEmpty { rule.actions = try actions(p, file: file, current: current) }
            file.loadBalancers[place.balancer].listeners[place.listener].rules[index] = rule
            return place
        }
        return [.members("Rules", [shape(place, in: model.file)])]
    }

    func setRulePriorities(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("SetRulePriorities", known: ["RulePriorities.member."])
        let wanted = try p.structures("RulePriorities.member.").map { item throws(APIError) in
            (try item.required("RuleArn"), try Self.priority(try item.required("Priority")))
        }
        guard !wanted.isEmpty else { throw .validation("RulePriorities must name at least one rule") }
        let (places, model) = try await editor.edit { (file: inout StateFile, _) throws(APIError) -> [Place] in
            let places = try wanted.map { arn, _ throws(APIError) in try arns.rule(arn: arn, in: file) }
            for (place, (_, priority)) in zip(places, wanted) {
                guard let index = place.rule else { throw APIError("OperationNotPermitted", "The priority of a default rule cannot be changed") }
                let listener = file.loadBalancers[place.balancer].listeners[place.listener]
                file.loadBalancers[place.balancer].listeners[place.listener].rules[index].id = arns.ruleId(listener.rules[index], of: identity.listenerArn(file.loadBalancers[place.balancer], listener))
                file.loadBalancers[place.balancer].listeners[place.listener].rules[index].priority = priority
            }
            for place in places {
                let priorities = file.loadBalancers[place.balancer].listeners[place.listener].rules.map(\.priority)
                if Set(priorities).count != priorities.count { throw APIError("PriorityInUse", "The specified priority is in use.") }
            }
            return places
        }
        return [.members("Rules", places.map { shape($0, in: model.file) })]
    }

    func deleteRule(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DeleteRule", known: ["RuleArn"])
        let arn = try p.required("RuleArn")
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            let place = try arns.rule(arn: arn, in: file)
            guard let index = place.rule else { throw APIError("OperationNotPermitted", "A default rule cannot be deleted") }
            file.loadBalancers[place.balancer].listeners[place.listener].rules.remove(at: index)
        }
        return []
    }

    func describeRules(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeRules", known: ["ListenerArn", "RuleArns.member.", "Marker", "PageSize"])
        let file = model?.file ?? StateFile()
        var places: [Place] = []
        if let arn = p["ListenerArn"] {
            let (b, l) = try arns.listener(arn: arn, in: file)
            let rules = file.loadBalancers[b].listeners[l].rules
            places = rules.indices.sorted { rules[$0].priority < rules[$1].priority }.map { Place(balancer: b, listener: l, rule: $0) }
                + [Place(balancer: b, listener: l, rule: nil)]
        } else {
            let ruleArns = p.members("RuleArns")
            guard !ruleArns.isEmpty else { throw .validation("Either ListenerArn or RuleArns must be specified") }
            places = try ruleArns.map { arn throws(APIError) in try self.arns.rule(arn: arn, in: file) }
        }
        let page = try APIPage(marker: p["Marker"], size: p["PageSize"], limit: 1...400, sizeName: "PageSize").slice(places.map { shape($0, in: file) })
        return [.members("Rules", page.items)] + XMLNode.field("NextMarker", page.next)
    }

    // MARK: Parts

    private func shape(_ place: Place, in file: StateFile) -> [XMLNode] {
        let balancer = file.loadBalancers[place.balancer], listener = balancer.listeners[place.listener]
        let shapes = ELBv2RuleShapes(identity: identity)
        let listenerArn = identity.listenerArn(balancer, listener)
        guard let index = place.rule else {
            return [.text("RuleArn", arns.defaultRuleArn(listenerArn)), .text("Priority", "default"),
                    .members("Conditions", []), .members("Actions", shapes.actions(listener.defaultActions)), .text("IsDefault", "true")]
        }
        let rule = listener.rules[index]
        return [.text("RuleArn", arns.ruleArn(listenerArn: listenerArn, id: arns.ruleId(rule, of: listenerArn))),
                .text("Priority", String(rule.priority)), .members("Conditions", shapes.conditions(rule.conditions)),
                .members("Actions", shapes.actions(rule.actions)), .text("IsDefault", "false")]
    }

    private func actions(_ p: QueryParameters, file: StateFile, current: DeploymentModel?) throws(APIError) -> [StateFile.Action] {
        let names = APINames(identity: identity, file: file, model: current)
        let actions = try p.structures("Actions.member.").sorted { ($0["Order"].flatMap(Int.init) ?? 0) < ($1["Order"].flatMap(Int.init) ?? 0) }
            .map { action throws(APIError) in try changes.action(action, names: names, file: file) }
        guard !actions.isEmpty else { throw .validation("Actions must name at least one action") }
        return actions
    }

    private func conditions(_ p: QueryParameters) throws(APIError) -> [StateFile.RuleCondition] {
        try p.structures("Conditions.member.").map { c throws(APIError) in
            let name = try c.required("Field")
            guard let field = StateFile.ConditionField(rawValue: name) else { throw .validation("The condition field '\(name)' is not valid") }
            let configs: [StateFile.ConditionField: String] = [
                .hostHeader: "HostHeaderConfig", .pathPattern: "PathPatternConfig", .httpHeader: "HttpHeaderConfig",
                .httpRequestMethod: "HttpRequestMethodConfig", .sourceIP: "SourceIpConfig", .queryString: "QueryStringConfig",
            ]
            let config = configs[field]!
            try c.refuseUnknown("a rule condition", known: ["Field", "Values.member.", "\(config)."])
            if field == .queryString {
                let pairs = c.structures("QueryStringConfig.Values.member.").map { StateFile.QueryStringKeyValue(key: $0["Key"], value: $0["Value"] ?? "") }
                return StateFile.RuleCondition(field: field, queryStringValues: pairs)
            }
            let values = c.members("\(config).Values").isEmpty ? c.members("Values") : c.members("\(config).Values")
            return StateFile.RuleCondition(field: field, values: values, httpHeaderName: field == .httpHeader ? c["HttpHeaderConfig.HttpHeaderName"] : nil)
        }
    }

    static func priority(_ text: String) throws(APIError) -> Int {
        guard let priority = Int(text), (1...50_000).contains(priority) else {
            throw .validation("Priority '\(text)' must be between 1 and 50000")
        }
        return priority
    }
}

/// The ARNs of listener rules and where each points in the state file: a rule's ARN ends in
/// its `id` (or one derived from its listener and priority); a listener's default actions are
/// its `default` rule.
struct ListenerRuleARNs {
    let identity: AWSIdentity

    /// A rule's place in the file: the load balancer, the listener and the rule's index (`nil`
    /// for the listener's default rule).
    struct Place: Equatable {
        let balancer: Int
        let listener: Int
        let rule: Int?
    }

    func ruleId(_ rule: StateFile.ListenerRule, of listenerArn: String) -> String {
        rule.id ?? AWSIdentity.id("rule", "\(listenerArn)/\(rule.priority)", length: 16)
    }

    func ruleArn(listenerArn: String, id: String) -> String {
        listenerArn.replacingOccurrences(of: ":listener/", with: ":listener-rule/") + "/" + id
    }

    func defaultRuleArn(_ listenerArn: String) -> String {
        ruleArn(listenerArn: listenerArn, id: AWSIdentity.id("defaultrule", listenerArn, length: 16))
    }

    func listener(arn: String, in file: StateFile) throws(APIError) -> (Int, Int) {
        for (b, balancer) in file.loadBalancers.enumerated() {
            if let l = balancer.listeners.firstIndex(where: { identity.listenerArn(balancer, $0) == arn }) { return (b, l) }
        }
        throw APIError("ListenerNotFound", "One or more listeners not found")
    }

    func rule(arn: String, in file: StateFile) throws(APIError) -> Place {
        for (b, balancer) in file.loadBalancers.enumerated() {
            for (l, listener) in balancer.listeners.enumerated() {
                let listenerArn = identity.listenerArn(balancer, listener)
                if defaultRuleArn(listenerArn) == arn { return Place(balancer: b, listener: l, rule: nil) }
                if let r = listener.rules.firstIndex(where: { ruleArn(listenerArn: listenerArn, id: ruleId($0, of: listenerArn)) == arn }) {
                    return Place(balancer: b, listener: l, rule: r)
                }
            }
        }
        throw APIError("RuleNotFound", "One or more rules not found")
    }

}
