import Yams

extension StateFileDecoder {
    func rule(_ node: Node, at path: FieldPath) -> StateFile.ListenerRule? {
        guard let fields = fields(of: node, at: path, keys: ["priority", "conditions", "actions", "id"]) else {
            return nil
        }
        let priority = required(fields, "priority", integer)
        let conditions = requiredList(fields, "conditions", condition)
        let actions = requiredList(fields, "actions", action)
        let id = optional(fields, "id", string)
        if let id, !Self.isARNIdentifier(id) {
            report("a rule's id is 16 hex digits (the last part of its ARN), not '\(id)'", at: path.key("id"))
        }
        guard let priority, let conditions, let actions else { return nil }
        return StateFile.ListenerRule(priority: priority, conditions: conditions, actions: actions, id: id)
    }

    /// A condition; how its `values` items read depends on `field`.
    func condition(_ node: Node, at path: FieldPath) -> StateFile.RuleCondition? {
        guard let fields = fields(of: node, at: path, keys: ["field", "values", "httpHeaderName"]) else {
            return nil
        }
        let field: StateFile.ConditionField? = required(fields, "field", enumeration)
        let httpHeaderName = optional(fields, "httpHeaderName", string)
        guard let field else { return nil }
        if field == .queryString {
            guard let pairs = requiredList(fields, "values", queryStringKeyValue) else { return nil }
            return StateFile.RuleCondition(field: field, queryStringValues: pairs, httpHeaderName: httpHeaderName)
        }
        guard let values = requiredList(fields, "values", string) else { return nil }
        return StateFile.RuleCondition(field: field, values: values, httpHeaderName: httpHeaderName)
    }

    func queryStringKeyValue(_ node: Node, at path: FieldPath) -> StateFile.QueryStringKeyValue? {
        guard let fields = fields(of: node, at: path, keys: ["key", "value"]) else { return nil }
        let key = optional(fields, "key", string)
        let value = required(fields, "value", string)
        guard let value else { return nil }
        return StateFile.QueryStringKeyValue(key: key, value: value)
    }
}
