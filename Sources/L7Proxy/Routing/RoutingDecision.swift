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

    /// AWS's access-log name of the action, such as `forward` or `fixed-response`.
    var actionName: String {
        switch outcome {
        case .forward: "forward"
        case .redirect: "redirect"
        case .fixedResponse: "fixed-response"
        }
    }
}
