import Kernel

extension StateFileValidator {
    static let rulePriorities = 1...50_000
    static let conditionValueCounts = 1...5
    /// Condition fields a rule may use once only; `http-header` and `query-string` may repeat.
    static let singleUseConditionFields: [StateFile.ConditionField] = [
        .hostHeader, .pathPattern, .httpRequestMethod, .sourceIP,
    ]

    /// The rules of an application load balancer's listener.
    mutating func checkRules(_ rules: [StateFile.ListenerRule], in context: ActionContext, at path: FieldPath) {
        var priorities: [Int: FieldPath] = [:]
        for (position, rule) in rules.enumerated() {
            let rulePath = path.index(position)
            let priorityPath = rulePath.key("priority")
            checkRange(rule.priority, Self.rulePriorities, "priority", at: priorityPath)
            if let other = priorities[rule.priority] {
                report("priority \(rule.priority) is already used by \(other)", at: priorityPath)
            } else {
                priorities[rule.priority] = rulePath
            }
            checkConditions(rule.conditions, at: rulePath.key("conditions"))
            checkActions(rule.actions, in: context, at: rulePath.key("actions"))
        }
    }

    private mutating func checkConditions(_ conditions: [StateFile.RuleCondition], at path: FieldPath) {
        if conditions.isEmpty {
            report("a rule needs at least one condition", at: path)
        }
        var fields: [StateFile.ConditionField: FieldPath] = [:]
        for (position, condition) in conditions.enumerated() {
            let conditionPath = path.index(position)
            if Self.singleUseConditionFields.contains(condition.field) {
                if let other = fields[condition.field] {
                    report(
                        "a rule takes one \(condition.field.rawValue) condition (see \(other))",
                        at: conditionPath.key("field"))
                }
                fields[condition.field] = fields[condition.field] ?? conditionPath
            }
            checkCondition(condition, at: conditionPath)
        }
    }

    private mutating func checkCondition(_ condition: StateFile.RuleCondition, at path: FieldPath) {
        let counts = Self.conditionValueCounts
        if !counts.contains(condition.valueCount) {
            report(
                "a condition needs \(counts.lowerBound) to \(counts.upperBound) values, got \(condition.valueCount)",
                at: path.key("values"))
        }
        switch (condition.field, condition.httpHeaderName) {
        case (.httpHeader, nil):
            report("an http-header condition needs httpHeaderName", at: path)
        case (.httpHeader, .some), (_, nil):
            break
        case (_, .some):
            report("httpHeaderName is only for http-header conditions", at: path.key("httpHeaderName"))
        }
        for (position, value) in condition.values.enumerated() {
            let valuePath = path.key("values").index(position)
            switch condition.field {
            case .sourceIP where IPv4Network(value) == nil:
                report("'\(value)' is not an IPv4 CIDR block like 192.0.2.0/24", at: valuePath)
            case .httpRequestMethod where !Self.isHTTPMethodName(value):
                report("'\(value)' is not an HTTP method name like GET (A-Z, '_' and '-', at most 40)", at: valuePath)
            default:
                break
            }
        }
    }

    private static func isHTTPMethodName(_ value: String) -> Bool {
        (1...40).contains(value.count) && value.allSatisfy { ("A"..."Z").contains($0) || $0 == "_" || $0 == "-" }
    }
}
