import Foundation

/// A listener's rules compiled for routing: rules by ascending priority, then the default rule.
/// Immutable; a class, so that each request takes it with one retain.
final class ListenerRouter: Sendable {
    /// A rule's action with its parts prepared.
    enum CompiledAction: Sendable {
        /// The groups by weight; with target group stickiness, the groups and its seconds.
        case forward(WeightedChoice<String>, sticky: (groups: [WeightedTargetGroup], seconds: Int)?)
        case redirect(RedirectAction)
        case fixedResponse(statusCode: Int, contentType: String?, body: String?)

        init(_ action: RuleAction?) {
            switch action {
            case .forward(let groups, let stickinessSeconds):
                self = .forward(WeightedChoice(groups.map { ($0.name, $0.weight) }),
                                sticky: stickinessSeconds.map { (groups, $0) })
            case .redirect(let redirect):
                self = .redirect(redirect)
            case .fixedResponse(let response):
                self = .fixedResponse(
                    statusCode: response.statusCodeValue ?? 503, contentType: response.contentType, body: response.messageBody
                )
            case nil:
                self = .fixedResponse(statusCode: 503, contentType: nil, body: nil)
            }
        }
    }

    struct CompiledRule: Sendable {
        var priority: Int
        var conditions: [ConditionMatcher]
        var action: CompiledAction
    }

    let port: Int
    /// The listener's scheme for `#{protocol}`: `http`.
    let scheme: String
    let rules: [CompiledRule]
    let defaultAction: CompiledAction

    /// Compiles a validated listener.
    init(_ listener: ListenerConfiguration) {
        port = listener.port
        scheme = listener.protocol.rawValue.lowercased()
        rules = listener.rules
            .sorted { $0.priority < $1.priority }
            .map { CompiledRule(priority: $0.priority, conditions: $0.conditions.map(ConditionMatcher.init), action: CompiledAction($0.actions.first)) }
        defaultAction = CompiledAction(listener.defaultActions.first)
    }

    /// The first rule whose conditions all match decides; the default rule when none does.
    /// `request` is made only when a condition or the action looks at it: a listener that only
    /// forwards never splits its requests into facts.
    func route(_ request: @autoclosure () -> RequestFacts, using generator: inout some RandomNumberGenerator) -> RoutingDecision {
        lazy var facts = request()
        for rule in rules where rule.conditions.allSatisfy({ $0.matches(facts) }) {
            return decide(rule.action, priority: rule.priority, request: facts, using: &generator)
        }
        return decide(defaultAction, priority: 0, request: facts, using: &generator)
    }

    private func decide(
        _ action: CompiledAction, priority: Int, request: @autoclosure () -> RequestFacts,
        using generator: inout some RandomNumberGenerator
    ) -> RoutingDecision {
        switch action {
        case .forward(let choice, let sticky):
            if let sticky,
                let group = StickySession.stuckGroup(in: request().headers, among: sticky.groups,
                                                     now: Int(Date().timeIntervalSince1970))
            {
                return RoutingDecision(outcome: .forward(targetGroup: group), rulePriority: priority,
                                       targetGroupStickinessSeconds: sticky.seconds)
            }
            guard let group = choice.pick(using: &generator) else {
                return RoutingDecision(outcome: .fixedResponse(statusCode: 503, contentType: nil, body: nil), rulePriority: priority)
            }
            return RoutingDecision(outcome: .forward(targetGroup: group), rulePriority: priority,
                                   targetGroupStickinessSeconds: sticky?.seconds)
        case .redirect(let redirect):
            let request = request()
            let original = RedirectLocation.Original(
                protocol: scheme, host: request.host.map(String.init) ?? "", port: request.localPort ?? port,
                path: String(request.path), query: request.query.map(String.init)
            )
            let location = RedirectLocation.build(redirect, for: original)
            let statusCode = redirect.statusCode == "HTTP_301" ? 301 : 302
            return RoutingDecision(outcome: .redirect(statusCode: statusCode, location: location), rulePriority: priority)
        case .fixedResponse(let statusCode, let contentType, let body):
            return RoutingDecision(
                outcome: .fixedResponse(statusCode: statusCode, contentType: contentType, body: body), rulePriority: priority
            )
        }
    }
}
