import Kernel
import L7Proxy

extension StateFileValidator {
    static let rulePriorities = 1...50_000
    static let conditionValueCounts = 1...ListenerRuleLimits.conditionValuesPerRule
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
        let valueCount = conditions.reduce(0) { $0 + $1.valueCount }
        let wildcardCount = conditions.reduce(0) { $0 + $1.wildcardCount }
        for problem in ListenerRuleLimits.ruleProblems(valueCount: valueCount, wildcardCount: wildcardCount) {
            report(problem, at: path)
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
        if condition.field == .httpHeader, let name = condition.httpHeaderName,
            let problem = ListenerRuleLimits.headerNameProblem(name)
        {
            report(problem, at: path.key("httpHeaderName"))
        }
        let field = condition.field.rawValue
        for (position, value) in condition.values.enumerated() {
            let valuePath = path.key("values").index(position)
            if condition.field == .sourceIP {
                if IPv4Network(value) == nil {
                    report("'\(value)' is not an IPv4 CIDR block like 192.0.2.0/24", at: valuePath)
                }
            } else if let problem = ListenerRuleLimits.valueProblem(value, field: field) {
                report(problem, at: valuePath)
            }
        }
        for (position, item) in condition.queryStringValues.enumerated() {
            let itemPath = path.key("values").index(position)
            if let key = item.key, let problem = ListenerRuleLimits.queryStringProblem(key, isKey: true) {
                report(problem, at: itemPath.key("key"))
            }
            if let problem = ListenerRuleLimits.queryStringProblem(item.value, isKey: false) {
                report(problem, at: itemPath.key("value"))
            }
        }
    }
}

extension StateFile.RuleCondition {
    /// The wildcards of the condition's values, as AWS counts them per rule.
    var wildcardCount: Int {
        ListenerRuleLimits.wildcardCount(
            values: values, queryStrings: queryStringValues.map { ($0.key, $0.value) }, field: field.rawValue)
    }
}
