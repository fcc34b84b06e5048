/// A target group's cookie stickiness (`stickiness.type` with its duration and, for
/// `app_cookie`, the application's cookie name): a client's requests go to the target its
/// stickiness cookie names while that target takes requests and the duration has not passed.
///
/// JSON: `{"type": "lb_cookie", "durationSeconds": 86400}`,
/// `{"type": "app_cookie", "durationSeconds": 3600, "cookieName": "SESSION"}`.
public struct TargetStickiness: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, durationSeconds, cookieName
    }

    public enum Kind: String, Codable, Sendable {
        /// Duration-based: the node's `AWSALB` (and `AWSALBCORS`) cookie names the target.
        case lbCookie = "lb_cookie"
        /// Application-based: once the target sets `cookieName`, the node's `AWSALBAPP-0`
        /// cookie names the target; requests carrying both stick.
        case appCookie = "app_cookie"
    }

    public var type: Kind
    /// 1-604800 seconds.
    public var durationSeconds: Int
    /// `app_cookie` only: the application's cookie.
    public var cookieName: String?

    public init(type: Kind, durationSeconds: Int = 86400, cookieName: String? = nil) {
        self.type = type
        self.durationSeconds = durationSeconds
        self.cookieName = cookieName
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(Kind.self, forKey: .type)
        durationSeconds = try container.decodeIfPresent(Int.self, forKey: .durationSeconds) ?? 86400
        cookieName = try container.decodeIfPresent(String.self, forKey: .cookieName)
    }
}

