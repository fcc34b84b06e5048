extension StateFile {
    /// What a listener or rule does with a request: forward it, redirect it, or answer it directly.
    ///
    /// Mirrors AWS's `Action`: only the configuration that belongs to `type` is set in a valid file.
    public struct Action: Sendable, Equatable {
        public var type: ActionType
        public var targetGroupName: String?
        public var forwardConfig: ForwardConfig?
        public var redirectConfig: RedirectConfig?
        public var fixedResponseConfig: FixedResponseConfig?

        public init(
            type: ActionType, targetGroupName: String? = nil, forwardConfig: ForwardConfig? = nil,
            redirectConfig: RedirectConfig? = nil, fixedResponseConfig: FixedResponseConfig? = nil
        ) {
            self.type = type
            self.targetGroupName = targetGroupName
            self.forwardConfig = forwardConfig
            self.redirectConfig = redirectConfig
            self.fixedResponseConfig = fixedResponseConfig
        }

        /// A forward action to a single target group.
        public static func forward(to targetGroupName: String) -> Action {
            Action(type: .forward, targetGroupName: targetGroupName)
        }

        /// The target groups a forward action sends to, with their weights (1 for `targetGroupName`).
        public var forwardTargets: [WeightedTargetGroup] {
            guard type == .forward else { return [] }
            if let targetGroupName { return [WeightedTargetGroup(targetGroupName: targetGroupName)] }
            return forwardConfig?.targetGroups ?? []
        }
    }

    /// The kind of an action.
    public enum ActionType: String, Sendable, Equatable, CaseIterable {
        case forward
        case redirect
        case fixedResponse = "fixed-response"
    }

    /// A forward action to one or several weighted target groups.
    public struct ForwardConfig: Sendable, Equatable {
        public var targetGroups: [WeightedTargetGroup]
        public var targetGroupStickinessConfig: TargetGroupStickinessConfig?

        public init(
            targetGroups: [WeightedTargetGroup], targetGroupStickinessConfig: TargetGroupStickinessConfig? = nil
        ) {
            self.targetGroups = targetGroups
            self.targetGroupStickinessConfig = targetGroupStickinessConfig
        }
    }

    /// A target group in a forward action and its share of the requests.
    public struct WeightedTargetGroup: Sendable, Equatable {
        public static let defaultWeight = 1

        public var targetGroupName: String
        public var weight: Int

        public init(targetGroupName: String, weight: Int = WeightedTargetGroup.defaultWeight) {
            self.targetGroupName = targetGroupName
            self.weight = weight
        }
    }

    /// Keeps a client on the target group it was first sent to, for a while.
    public struct TargetGroupStickinessConfig: Sendable, Equatable {
        public var enabled: Bool
        public var durationSeconds: Int?

        public init(enabled: Bool, durationSeconds: Int? = nil) {
            self.enabled = enabled
            self.durationSeconds = durationSeconds
        }
    }

    /// An HTTP redirect; unset components keep the request's own (`#{protocol}`, `#{host}`, ...).
    public struct RedirectConfig: Sendable, Equatable {
        public var `protocol`: String?
        public var host: String?
        public var port: String?
        public var path: String?
        public var query: String?
        public var statusCode: RedirectStatusCode

        public init(
            protocol: String? = nil, host: String? = nil, port: String? = nil, path: String? = nil,
            query: String? = nil, statusCode: RedirectStatusCode
        ) {
            self.protocol = `protocol`
            self.host = host
            self.port = port
            self.path = path
            self.query = query
            self.statusCode = statusCode
        }
    }

    /// The status of a redirect: permanent or temporary.
    public enum RedirectStatusCode: String, Sendable, Equatable, CaseIterable {
        case http301 = "HTTP_301"
        case http302 = "HTTP_302"
    }

    /// A response the load balancer returns itself.
    public struct FixedResponseConfig: Sendable, Equatable {
        public var statusCode: String
        public var contentType: String?
        public var messageBody: String?

        public init(statusCode: String, contentType: String? = nil, messageBody: String? = nil) {
            self.statusCode = statusCode
            self.contentType = contentType
            self.messageBody = messageBody
        }
    }
}
