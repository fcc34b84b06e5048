import Health

extension ProxyConfiguration {
    /// Checks the limits AWS enforces and the references between listeners and target groups;
    /// reports every problem found, each with its field path.
    public func validate() throws(ProxyConfigurationError) {
        var problems = ProblemList()
        if nodeName.isEmpty { problems.add("nodeName", "must not be empty") }
        if availabilityZone.isEmpty { problems.add("availabilityZone", "must not be empty") }
        if !(1...4000).contains(idleTimeoutSeconds) {
            problems.add("idleTimeoutSeconds", "\(idleTimeoutSeconds) is outside 1-4000")
        }
        if !(1...300).contains(connectTimeoutSeconds) {
            problems.add("connectTimeoutSeconds", "\(connectTimeoutSeconds) is outside 1-300")
        }
        if listeners.isEmpty { problems.add("listeners", "at least one listener is required") }
        validateAccessLog(into: &problems)

        let groupNames = Set(targetGroups.map(\.name))
        var seenGroups = Set<String>()
        for (index, group) in targetGroups.enumerated() {
            let path = "targetGroups[\(index)]"
            if !seenGroups.insert(group.name).inserted {
                problems.add(path, "target group name \"\(group.name)\" is used twice")
            }
            group.validate(at: path, into: &problems)
        }

        var seenEndpoints = Set<String>()
        for (index, listener) in listeners.enumerated() {
            let path = "listeners[\(index)]"
            if !seenEndpoints.insert("\(listener.address):\(listener.port)").inserted {
                problems.add(path, "another listener already uses \(listener.address):\(listener.port)")
            }
            listener.validate(at: path, targetGroups: groupNames, into: &problems)
            listener.validateTLS(at: path, into: &problems)
        }
        if !problems.items.isEmpty { throw .invalid(problems: problems.items) }
    }
}

extension ProxyConfiguration {
    /// The load balancer ARN parses; access log files need it, an absolute directory and the
    /// node's IPv4 address.
    func validateAccessLog(into problems: inout ProblemList) {
        if let loadBalancerArn, LoadBalancerARN(loadBalancerArn) == nil {
            problems.add("loadBalancerArn", "\"\(loadBalancerArn)\" is not a load balancer ARN")
        }
        guard let accessLog else { return }
        if loadBalancerArn == nil { problems.add("accessLog", "needs loadBalancerArn (it names the files)") }
        if !accessLog.directory.hasPrefix("/") {
            problems.add("accessLog.directory", "\"\(accessLog.directory)\" is not an absolute path")
        }
        if IPAddressBytes.parse(accessLog.nodeAddress)?.count != 4 {
            problems.add("accessLog.nodeAddress", "\"\(accessLog.nodeAddress)\" is not an IPv4 address")
        }
    }
}

/// Problems found while validating, each prefixed with its field path.
struct ProblemList {
    private(set) var items: [String] = []

    mutating func add(_ path: String, _ message: String) {
        items.append("\(path): \(message)")
    }
}

extension ListenerConfiguration {
    /// HTTPS and TLS listeners have a known security policy and at least one certificate (whose
    /// material the proxy looks up when it builds the listener's TLS contexts); HTTP and TCP
    /// listeners have neither. Only TLS listeners have an ALPN policy; TLS and TCP listeners, and
    /// only they, have a relay.
    func validateTLS(at path: String, into problems: inout ProblemList) {
        if self.protocol != .tls, alpnPolicy != nil { problems.add("\(path).alpnPolicy", "only TLS listeners have an ALPN policy") }
        if self.protocol.terminatesTLS {
            if let sslPolicy, SSLPolicy.named(sslPolicy) == nil {
                problems.add("\(path).sslPolicy", "unknown security policy \"\(sslPolicy)\"")
            }
            if certificates.isEmpty {
                problems.add("\(path).certificates", "\(self.protocol.rawValue) listeners need a default certificate")
            }
        } else {
            if sslPolicy != nil { problems.add("\(path).sslPolicy", "only HTTPS and TLS listeners have a security policy") }
            if !certificates.isEmpty { problems.add("\(path).certificates", "only HTTPS and TLS listeners have certificates") }
        }
        guard let relay else {
            if self.protocol.relays { problems.add("\(path).relay", "a \(self.protocol.rawValue) listener needs a relay") }
            return
        }
        guard self.protocol.relays else {
            problems.add("\(path).relay", "only TLS and TCP listeners relay connections")
            return
        }
        if IPAddressBytes.parse(relay.address)?.count != 4 {
            problems.add("\(path).relay.address", "\"\(relay.address)\" is not an IPv4 address")
        }
        if !(1...65535).contains(relay.port) { problems.add("\(path).relay.port", "\(relay.port) is outside 1-65535") }
        for address in relay.vpcEndpoints.keys.sorted() where IPAddressBytes.parse(address)?.count != 4 {
            problems.add("\(path).relay.vpcEndpoints", "\"\(address)\" is not an IPv4 address")
        }
    }

    func validate(at path: String, targetGroups: Set<String>, into problems: inout ProblemList) {
        if !(0...65535).contains(port) { problems.add("\(path).port", "\(port) is outside 0-65535") }
        if IPAddressBytes.parse(address) == nil {
            problems.add("\(path).address", "\"\(address)\" is not an IP address")
        }
        guard !self.protocol.relays else {
            let listener = "a \(self.protocol.rawValue) listener relays connections"
            if !defaultActions.isEmpty { problems.add("\(path).defaultActions", "\(listener): it has no actions") }
            if !rules.isEmpty { problems.add("\(path).rules", "\(listener): it has no rules") }
            return
        }
        RuleAction.validate(defaultActions, at: "\(path).defaultActions", targetGroups: targetGroups, into: &problems)
        var priorities = Set<Int>()
        for (index, rule) in rules.enumerated() {
            let rulePath = "\(path).rules[\(index)]"
            if !priorities.insert(rule.priority).inserted {
                problems.add("\(rulePath).priority", "priority \(rule.priority) is used by another rule")
            }
            rule.validate(at: rulePath, targetGroups: targetGroups, into: &problems)
        }
    }
}

extension ListenerRule {
    /// Fields AWS allows at most once per rule.
    private static let singleUseFields: Set<String> = ["host-header", "path-pattern", "http-request-method", "source-ip"]

    func validate(at path: String, targetGroups: Set<String>, into problems: inout ProblemList) {
        if !(1...50000).contains(priority) {
            problems.add("\(path).priority", "\(priority) is outside 1-50000")
        }
        if conditions.isEmpty { problems.add("\(path).conditions", "a rule needs at least one condition") }
        var fields = Set<String>()
        for (index, condition) in conditions.enumerated() {
            let conditionPath = "\(path).conditions[\(index)]"
            if Self.singleUseFields.contains(condition.field), !fields.insert(condition.field).inserted {
                problems.add(conditionPath, "\(condition.field) may appear only once per rule")
            }
            condition.validate(at: conditionPath, into: &problems)
        }
        let valueCount = conditions.reduce(0) { $0 + $1.valueCount }
        let wildcardCount = conditions.reduce(0) { $0 + $1.wildcardCount }
        for problem in ListenerRuleLimits.ruleProblems(valueCount: valueCount, wildcardCount: wildcardCount) {
            problems.add("\(path).conditions", problem)
        }
        RuleAction.validate(actions, at: "\(path).actions", targetGroups: targetGroups, into: &problems)
    }
}

extension RuleCondition {
    /// The wildcards of the condition's values, as AWS counts them per rule.
    var wildcardCount: Int {
        switch self {
        case .hostHeader(let values), .pathPattern(let values), .httpHeader(_, let values):
            ListenerRuleLimits.wildcardCount(values: values, queryStrings: [], field: field)
        case .queryString(let pairs):
            ListenerRuleLimits.wildcardCount(values: [], queryStrings: pairs.map { ($0.key, $0.value) }, field: field)
        case .httpRequestMethod, .sourceIP:
            0
        }
    }

    func validate(at path: String, into problems: inout ProblemList) {
        if !(1...ListenerRuleLimits.conditionValuesPerRule).contains(valueCount) {
            problems.add("\(path).values", "\(field) needs 1-\(ListenerRuleLimits.conditionValuesPerRule) values, has \(valueCount)")
        }
        switch self {
        case .hostHeader(let values), .pathPattern(let values), .httpRequestMethod(let values):
            validate(values, at: path, into: &problems)
        case .httpHeader(let name, let values):
            if let problem = ListenerRuleLimits.headerNameProblem(name) {
                problems.add("\(path).httpHeaderName", problem)
            }
            validate(values, at: path, into: &problems)
        case .queryString(let pairs):
            for (index, pair) in pairs.enumerated() {
                if let key = pair.key, let problem = ListenerRuleLimits.queryStringProblem(key, isKey: true) {
                    problems.add("\(path).values[\(index)].key", problem)
                }
                if let problem = ListenerRuleLimits.queryStringProblem(pair.value, isKey: false) {
                    problems.add("\(path).values[\(index)].value", problem)
                }
            }
        case .sourceIP(let values):
            for (index, value) in values.enumerated() where CIDRBlock(value) == nil {
                problems.add("\(path).values[\(index)]", "'\(value)' is not a CIDR block like 10.0.0.0/8")
            }
        }
    }

    private func validate(_ values: [String], at path: String, into problems: inout ProblemList) {
        for (index, value) in values.enumerated() {
            if let problem = ListenerRuleLimits.valueProblem(value, field: field) {
                problems.add("\(path).values[\(index)]", problem)
            }
        }
    }
}

extension RuleAction {
    static func validate(_ actions: [RuleAction], at path: String, targetGroups: Set<String>, into problems: inout ProblemList) {
        guard actions.count == 1, let action = actions.first else {
            problems.add(path, "exactly one action is required, found \(actions.count)")
            return
        }
        action.validate(at: "\(path)[0]", targetGroups: targetGroups, into: &problems)
    }

    func validate(at path: String, targetGroups: Set<String>, into problems: inout ProblemList) {
        switch self {
        case .forward(let groups, let stickinessSeconds):
            if let stickinessSeconds, !(1...604_800).contains(stickinessSeconds) {
                problems.add("\(path).targetGroupStickinessSeconds", "\(stickinessSeconds) is outside 1-604800")
            }
            if groups.isEmpty { problems.add("\(path).targetGroups", "forward needs at least one target group") }
            if groups.count > 5 { problems.add("\(path).targetGroups", "forward takes at most 5 target groups") }
            for group in groups {
                if !targetGroups.contains(group.name) {
                    problems.add("\(path).targetGroups", "unknown target group \"\(group.name)\"")
                }
                if !(0...999).contains(group.weight) {
                    problems.add("\(path).targetGroups", "weight \(group.weight) of \"\(group.name)\" is outside 0-999")
                }
            }
            if !groups.isEmpty, groups.allSatisfy({ $0.weight == 0 }) {
                problems.add("\(path).targetGroups", "at least one target group needs a weight above 0")
            }
        case .redirect(let redirect):
            redirect.validate(at: path, into: &problems)
        case .fixedResponse(let response):
            let found = ListenerRuleLimits.fixedResponseProblems(
                statusCode: response.statusCode, contentType: response.contentType, messageBody: response.messageBody)
            for (field, message) in found {
                problems.add("\(path).\(field)", message)
            }
        }
    }
}

extension RedirectAction {
    func validate(at path: String, into problems: inout ProblemList) {
        if !["HTTP_301", "HTTP_302"].contains(statusCode) {
            problems.add("\(path).statusCode", "\"\(statusCode)\" is neither HTTP_301 nor HTTP_302")
        }
        let found = ListenerRuleLimits.redirectProblems(
            protocol: self.protocol, host: host, port: port, path: self.path, query: query)
        for (field, message) in found {
            problems.add(field.map { "\(path).\($0)" } ?? path, message)
        }
    }
}

extension TargetGroupConfiguration {
    func validate(at path: String, into problems: inout ProblemList) {
        if name.isEmpty { problems.add("\(path).name", "must not be empty") }
        if !(1...65535).contains(port) { problems.add("\(path).port", "\(port) is outside 1-65535") }
        if !(0...3600).contains(deregistrationDelaySeconds) {
            problems.add("\(path).deregistrationDelaySeconds", "\(deregistrationDelaySeconds) is outside 0-3600")
        }
        healthCheck.validate(at: "\(path).healthCheck", into: &problems)
        var seen = Set<String>()
        for (index, target) in targets.enumerated() {
            let targetPath = "\(path).targets[\(index)]"
            let endpoint = "\(target.address):\(target.port ?? port)"
            if !seen.insert(endpoint).inserted { problems.add(targetPath, "\(endpoint) is registered twice") }
            if IPAddressBytes.parse(target.address) == nil {
                problems.add("\(targetPath).address", "\"\(target.address)\" is not an IP address")
            }
            if let targetPort = target.port, !(1...65535).contains(targetPort) {
                problems.add("\(targetPath).port", "\(targetPort) is outside 1-65535")
            }
            if target.availabilityZone.isEmpty { problems.add("\(targetPath).availabilityZone", "must not be empty") }
            if !(0...999).contains(target.weight) {
                problems.add("\(targetPath).weight", "\(target.weight) is outside 0-999")
            }
        }
    }
}

extension HealthCheckConfiguration {
    func validate(at path: String, into problems: inout ProblemList) {
        if self.protocol == .tcp {
            problems.add("\(path).protocol", "ALB target groups check health with HTTP or HTTPS, not TCP")
        }
        if !self.path.hasPrefix("/") || self.path.utf8.count > 1024 {
            problems.add("\(path).path", "\"\(self.path)\" must start with / and have at most 1024 characters")
        }
        if port != "traffic-port", !(Int(port).map { (1...65535).contains($0) } ?? false) {
            problems.add("\(path).port", "\"\(port)\" is neither traffic-port nor 1-65535")
        }
        if !HealthCheckSettings.allowedIntervalSeconds.contains(intervalSeconds) {
            problems.add("\(path).intervalSeconds", "\(intervalSeconds) is outside 5-300")
        }
        if !HealthCheckSettings.allowedTimeoutSeconds.contains(timeoutSeconds) {
            problems.add("\(path).timeoutSeconds", "\(timeoutSeconds) is outside 2-120")
        }
        if timeoutSeconds >= intervalSeconds {
            problems.add("\(path).timeoutSeconds", "\(timeoutSeconds) must be less than intervalSeconds \(intervalSeconds)")
        }
        if !HealthCheckSettings.allowedThresholdCounts.contains(healthyThreshold) {
            problems.add("\(path).healthyThreshold", "\(healthyThreshold) is outside 2-10")
        }
        if !HealthCheckSettings.allowedThresholdCounts.contains(unhealthyThreshold) {
            problems.add("\(path).unhealthyThreshold", "\(unhealthyThreshold) is outside 2-10")
        }
        if HTTPCodeMatcher(matcher, for: .application) == nil {
            problems.add("\(path).matcher", "\"\(matcher)\" is not like 200, 200,202 or 200-299 within 200-499")
        }
    }
}
