import L7Proxy

/// The listener an action belongs to, which decides what the action may do.
struct ActionContext {
    let loadBalancer: StateFile.LoadBalancer
    let listener: StateFile.Listener
    /// The load balancer's VPC, when its subnets are known.
    let vpc: String?
}

extension StateFileValidator {
    static let maximumForwardTargetGroups = 5

    /// The actions of a listener or rule: exactly one, of a kind the load balancer supports, well formed.
    mutating func checkActions(_ actions: [StateFile.Action], in context: ActionContext, at path: FieldPath) {
        if actions.count != 1 {
            report(
                "takes exactly one forward, redirect or fixed-response action, got \(actions.count)", at: path)
        }
        for (position, action) in actions.enumerated() {
            let actionPath = path.index(position)
            checkShape(of: action, in: context, at: actionPath)
            checkForwardTargets(of: action, in: context, at: actionPath)
            if let redirect = action.redirectConfig {
                checkRedirect(redirect, in: context, at: actionPath.key("redirectConfig"))
            }
            if let fixedResponse = action.fixedResponseConfig {
                checkFixedResponse(fixedResponse, at: actionPath.key("fixedResponseConfig"))
            }
        }
    }

    /// The configuration keys that belong to the action's type, and nothing else.
    private mutating func checkShape(of action: StateFile.Action, in context: ActionContext, at path: FieldPath) {
        if action.type != .forward, context.loadBalancer.type == .network {
            report("\(action.type.rawValue) actions are only for application load balancers", at: path.key("type"))
        }
        let present: [(key: String, isSet: Bool, type: StateFile.ActionType)] = [
            ("targetGroupName", action.targetGroupName != nil, .forward),
            ("forwardConfig", action.forwardConfig != nil, .forward),
            ("redirectConfig", action.redirectConfig != nil, .redirect),
            ("fixedResponseConfig", action.fixedResponseConfig != nil, .fixedResponse),
        ]
        for item in present where item.isSet && item.type != action.type {
            report("\(item.key) is only for \(item.type.rawValue) actions", at: path.key(item.key))
        }
        switch action.type {
        case .forward where action.targetGroupName != nil && action.forwardConfig != nil:
            report("set either targetGroupName or forwardConfig, not both", at: path)
        case .forward where action.targetGroupName == nil && action.forwardConfig == nil:
            report("a forward action needs targetGroupName or forwardConfig", at: path)
        case .redirect where action.redirectConfig == nil:
            report("a redirect action needs redirectConfig", at: path)
        case .fixedResponse where action.fixedResponseConfig == nil:
            report("a fixed-response action needs fixedResponseConfig", at: path)
        default:
            break
        }
    }

    private mutating func checkForwardTargets(of action: StateFile.Action, in context: ActionContext, at path: FieldPath) {
        guard action.type == .forward else { return }
        if let name = action.targetGroupName {
            checkForwardTarget(name, in: context, at: path.key("targetGroupName"))
        }
        guard let config = action.forwardConfig else { return }
        let configPath = path.key("forwardConfig")
        let groupsPath = configPath.key("targetGroups")
        let limit = context.loadBalancer.type == .network ? 1 : Self.maximumForwardTargetGroups
        if config.targetGroups.isEmpty {
            report("needs at least one target group", at: groupsPath)
        } else if config.targetGroups.count > limit {
            report(
                "\(context.loadBalancer.type.rawValue) load balancers forward to at most \(limit) "
                    + "target group\(limit == 1 ? "" : "s"), got \(config.targetGroups.count)",
                at: groupsPath)
        }
        var seen: Set<String> = []
        for (position, weighted) in config.targetGroups.enumerated() {
            let itemPath = groupsPath.index(position)
            if !seen.insert(weighted.targetGroupName).inserted {
                report(
                    "target group '\(weighted.targetGroupName)' is listed twice",
                    at: itemPath.key("targetGroupName"))
                continue
            }
            checkRange(weighted.weight, 0...999, "weight", at: itemPath.key("weight"))
            checkForwardTarget(weighted.targetGroupName, in: context, at: itemPath.key("targetGroupName"))
        }
        if let stickiness = config.targetGroupStickinessConfig {
            checkStickiness(stickiness, in: context, at: configPath.key("targetGroupStickinessConfig"))
        }
    }

    /// A forwarded target group: known, in the load balancer's VPC, of a protocol the listener can forward to,
    /// and used by no other load balancer.
    private mutating func checkForwardTarget(_ name: String, in context: ActionContext, at path: FieldPath) {
        guard let position = index.targetGroups[name] else {
            reportUnknown("target group", name, among: index.targetGroups.keys, at: path)
            return
        }
        let group = file.targetGroups[position]
        let loadBalancer = context.loadBalancer
        let listenerProtocol = context.listener.protocol
        if let vpc = context.vpc, group.vpc != vpc {
            report(
                "target group '\(name)' is in VPC '\(group.vpc)', but load balancer '\(loadBalancer.name)' "
                    + "is in VPC '\(vpc)'",
                at: path)
        }
        let allowed = listenerProtocol.forwardableTargetGroupProtocols
        if group.targetType == .alb, listenerProtocol != .tcp {
            report(
                "IncompatibleProtocols: \(listenerProtocol.rawValue) listeners cannot forward to target group '\(name)' of type alb; "
                    + "only TCP listeners can",
                at: path)
        } else if !allowed.contains(group.protocol) {
            report(
                "IncompatibleProtocols: \(listenerProtocol.rawValue) listeners cannot forward to target group '\(name)' "
                    + "(\(group.protocol.rawValue)); they need \(allowed.map(\.rawValue).joined(separator: " or "))",
                at: path)
        }
        if let user = targetGroupUsers[name], user != loadBalancer.name {
            report(
                "target group '\(name)' is already used by load balancer '\(user)'; "
                    + "a target group serves one load balancer",
                at: path)
        } else {
            targetGroupUsers[name] = loadBalancer.name
        }
    }

    private mutating func checkStickiness(
        _ stickiness: StateFile.TargetGroupStickinessConfig, in context: ActionContext, at path: FieldPath
    ) {
        if context.loadBalancer.type != .application {
            report("targetGroupStickinessConfig is only for application load balancers", at: path)
            return
        }
        if let duration = stickiness.durationSeconds {
            checkRange(duration, 1...604_800, "durationSeconds", at: path.key("durationSeconds"))
        } else if stickiness.enabled {
            report("durationSeconds is required when stickiness is enabled", at: path)
        }
    }

    private mutating func checkRedirect(
        _ redirect: StateFile.RedirectConfig, in context: ActionContext, at path: FieldPath
    ) {
        if redirect.protocol == "HTTP", context.listener.protocol == .https {
            report("an HTTPS listener cannot redirect to HTTP", at: path.key("protocol"))
        }
        let found = ListenerRuleLimits.redirectProblems(
            protocol: redirect.protocol, host: redirect.host, port: redirect.port, path: redirect.path, query: redirect.query)
        for (field, message) in found {
            if let field {
                report(message, at: path.key(field))
            } else {
                report("\(ListenerRuleLimits.redirectLoopErrorCode): \(message)", at: path)
            }
        }
    }

    private mutating func checkFixedResponse(_ response: StateFile.FixedResponseConfig, at path: FieldPath) {
        let found = ListenerRuleLimits.fixedResponseProblems(
            statusCode: response.statusCode, contentType: response.contentType, messageBody: response.messageBody)
        for (field, message) in found {
            report(message, at: path.key(field))
        }
    }
}
