import NIOHTTP1

/// One request's stickiness: the target its cookies ask for within the group (if still
/// sticky), and the cookies the response carries to keep the client there. Made only for
/// groups with stickiness or forward actions with target group stickiness, so requests of
/// other groups pay nothing.
struct StickySession: Sendable {
    let group: String
    /// The group's target stickiness, when on.
    let target: TargetStickiness?
    /// The forward action's target group stickiness, when on.
    let groupSeconds: Int?
    /// `TargetEndpoint.Key.description` of the target the request's cookie names, when sticky.
    let requestedTarget: String?
    /// Whether the request carried valid application stickiness (then the response renews it).
    private let appStickinessInRequest: Bool

    init?(group: String, target: TargetStickiness?, groupSeconds: Int?, request: HTTPHeaders, now: Int) {
        guard target != nil || groupSeconds != nil else { return nil }
        self.group = group
        self.target = target
        self.groupSeconds = groupSeconds
        var requested: String?
        switch target?.type {
        case .lbCookie:
            requested = StickinessCookie.requestCookie(StickinessCookie.lbCookie, in: request)
                .flatMap { Self.targetName(in: $0, group: group, now: now) }
        case .appCookie:
            // Both the application's cookie and the node's must come back.
            if let name = target?.cookieName, StickinessCookie.requestCookie(name, in: request) != nil {
                requested = StickinessCookie.requestCookie("\(StickinessCookie.appCookie)-0", in: request)
                    .flatMap { Self.targetName(in: $0, group: group, now: now) }
            }
        case nil:
            break
        }
        requestedTarget = requested
        appStickinessInRequest = target?.type == .appCookie && requested != nil
    }

    /// The target a cookie value names for `group`, if it is this group's and still sticky.
    private static func targetName(in value: Substring, group: String, now: Int) -> String? {
        guard let subject = StickinessCookie.subject(of: value, now: now), let tab = subject.firstIndex(of: "\t"),
            subject[..<tab] == group
        else { return nil }
        return String(subject[subject.index(after: tab)...])
    }

    /// Adds the `Set-Cookie` lines that keep the client on `endpoint` (and on the group).
    func addCookies(to headers: inout HTTPHeaders, endpoint: TargetEndpoint, response: HTTPHeaders, now: Int) {
        if let groupSeconds {
            let value = StickinessCookie.value(subject: group, until: now + groupSeconds)
            for line in StickinessCookie.setCookies(StickinessCookie.targetGroupCookie, value: value, now: now, cors: true) {
                headers.add(name: "Set-Cookie", value: line)
            }
        }
        guard let target else { return }
        let value = StickinessCookie.value(subject: "\(group)\t\(endpoint.key.description)", until: now + target.durationSeconds)
        switch target.type {
        case .lbCookie:
            for line in StickinessCookie.setCookies(StickinessCookie.lbCookie, value: value, now: now, cors: true) {
                headers.add(name: "Set-Cookie", value: line)
            }
        case .appCookie:
            guard appStickinessInRequest || target.cookieName.map({ StickinessCookie.responseSets($0, in: response) }) == true
            else { return }
            // AWS splits long values over AWSALBAPP-0 to -3; lbnet's fit in -0, the others are cleared.
            let lines = StickinessCookie.setCookies("\(StickinessCookie.appCookie)-0", value: value, now: now, cors: false)
                + (1...3).flatMap { StickinessCookie.setCookies("\(StickinessCookie.appCookie)-\($0)", value: "_remove_", now: now, cors: false) }
            for line in lines { headers.add(name: "Set-Cookie", value: line) }
        }
    }

    /// The group a request's `AWSALBTG` cookie keeps it on, if it is one of `groups` (with a
    /// weight above 0) and still sticky.
    static func stuckGroup(in request: HTTPHeaders, among groups: [WeightedTargetGroup], now: Int) -> String? {
        guard let value = StickinessCookie.requestCookie(StickinessCookie.targetGroupCookie, in: request),
            let subject = StickinessCookie.subject(of: value, now: now)
        else { return nil }
        return groups.first { $0.weight > 0 && $0.name == subject }?.name
    }
}
