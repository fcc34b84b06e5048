extension StateFile {
    /// A listener rule of an application load balancer: when all conditions match, run the actions.
    public struct ListenerRule: Sendable, Equatable {
        public var priority: Int
        public var conditions: [RuleCondition]
        public var actions: [Action]
        /// The last part of the rule's ARN (16 hex digits). The AWS API sets it for the rules it
        /// creates, so an ARN survives a change of priority; without it lbnet derives one from
        /// the listener and the priority.
        public var id: String?

        public init(priority: Int, conditions: [RuleCondition], actions: [Action], id: String? = nil) {
            self.priority = priority
            self.conditions = conditions
            self.actions = actions
            self.id = id
        }
    }

    /// One condition of a rule; it matches when the request matches any of its values.
    ///
    /// `query-string` conditions keep their `{key, value}` items in `queryStringValues`;
    /// every other field keeps its items in `values`.
    public struct RuleCondition: Sendable, Equatable {
        public var field: ConditionField
        public var values: [String]
        public var queryStringValues: [QueryStringKeyValue]
        /// The header to inspect; set for `http-header` only.
        public var httpHeaderName: String?

        public init(
            field: ConditionField, values: [String] = [], queryStringValues: [QueryStringKeyValue] = [],
            httpHeaderName: String? = nil
        ) {
            self.field = field
            self.values = values
            self.queryStringValues = queryStringValues
            self.httpHeaderName = httpHeaderName
        }

        /// The number of values, whichever list holds them.
        public var valueCount: Int { field == .queryString ? queryStringValues.count : values.count }
    }

    /// The part of a request a condition looks at.
    public enum ConditionField: String, Sendable, Equatable, CaseIterable {
        case hostHeader = "host-header"
        case pathPattern = "path-pattern"
        case httpHeader = "http-header"
        case httpRequestMethod = "http-request-method"
        case queryString = "query-string"
        case sourceIP = "source-ip"
    }

    /// A query-string pattern; without a key it matches any parameter's value.
    public struct QueryStringKeyValue: Sendable, Equatable {
        public var key: String?
        public var value: String

        public init(key: String? = nil, value: String) {
            self.key = key
            self.value = value
        }
    }
}
