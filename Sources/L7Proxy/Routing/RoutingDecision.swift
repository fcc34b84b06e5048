/// What a listener decided to do with one request.
struct RoutingDecision: Sendable, Equatable {
    enum Outcome: Sendable, Equatable {
        /// Send the request to a target of this group.
        case forward(targetGroup: String)
        /// Answer with a redirect to `location`.
        case redirect(statusCode: Int, location: String)
        /// Answer with a fixed response.
        case fixedResponse(statusCode: Int, contentType: String?, body: String?)
    }

    var outcome: Outcome
    /// The matched rule's priority; 0 for the default rule, as in ALB access logs.
    var rulePriority: Int
    /// A forward action's target group stickiness: the response sets `AWSALBTG` for this long.
    var targetGroupStickinessSeconds: Int? = nil

    /// The access log's `actions_executed`: AWS's name of the action, such as `forward` or
    /// `fixed-response` (arrays made once, not per request).
    var actionsExecuted: [String] {
        switch outcome {
        case .forward: Self.forwarded
        case .redirect: Self.redirected
        case .fixedResponse: Self.answeredFixed
        }
    }

    private static let forwarded = ["forward"]
    private static let redirected = ["redirect"]
    private static let answeredFixed = ["fixed-response"]
}
