import L7Proxy

/// Listener rules as one line each for `lbnet status`: conditions as
/// `host-header=api.example.com|*.api.example.com; path-pattern=/v1/*`, actions as
/// `forward api:90, canary:10`, `redirect HTTP_301 to HTTPS://#{host}:443/#{path}?#{query}` or
/// `fixed-response 404 (text/plain)`.
enum ApplicationLoadBalancerRuleText {
    static func rows(loadBalancer: String, _ configuration: ProxyConfiguration) -> [ApplicationLoadBalancerStatus.Rule] {
        configuration.listeners.flatMap { listener in
            let name = "\(listener.protocol.rawValue):\(listener.port)"
            let rules = listener.rules.sorted { $0.priority < $1.priority }.map { rule in
                ApplicationLoadBalancerStatus.Rule(loadBalancer: loadBalancer, listener: name, priority: String(rule.priority),
                                                   conditions: rule.conditions.map(condition).joined(separator: "; "),
                                                   action: rule.actions.map(action).joined(separator: "; "))
            }
            return rules + [ApplicationLoadBalancerStatus.Rule(loadBalancer: loadBalancer, listener: name, priority: "default",
                                                               conditions: "-", action: listener.defaultActions.map(action).joined(separator: "; "))]
        }
    }

    static func condition(_ condition: RuleCondition) -> String {
        switch condition {
        case .hostHeader(let values), .pathPattern(let values), .httpRequestMethod(let values), .sourceIP(let values):
            "\(condition.field)=\(values.joined(separator: "|"))"
        case .httpHeader(let name, let values):
            "http-header(\(name))=\(values.joined(separator: "|"))"
        case .queryString(let pairs):
            "query-string=" + pairs.map { pair in pair.key.map { "\($0)=\(pair.value)" } ?? pair.value }.joined(separator: "|")
        }
    }

    static func action(_ action: RuleAction) -> String {
        switch action {
        case .forward(let groups, let stickinessSeconds) where groups.count == 1:
            "forward \(groups[0].name)" + (stickinessSeconds.map { " (sticky \($0) s)" } ?? "")
        case .forward(let groups, let stickinessSeconds):
            "forward " + groups.map { "\($0.name):\($0.weight)" }.joined(separator: ", ")
                + (stickinessSeconds.map { " (sticky \($0) s)" } ?? "")
        case .redirect(let redirect):
            "redirect \(redirect.statusCode) to \(redirect.protocol)://\(redirect.host):\(redirect.port)\(redirect.path)?\(redirect.query)"
        case .fixedResponse(let response):
            "fixed-response \(response.statusCode)" + (response.contentType.map { " (\($0))" } ?? "")
        }
    }
}
