/// What a matching rule does, with AWS's action types.
///
/// JSON: `{"type": "forward", "targetGroups": [{"name": "web", "weight": 1}]}` (with
/// `"targetGroupStickinessSeconds": 3600` a client stays on the group it was sent to, cookie
/// `AWSALBTG`),
/// `{"type": "redirect", "statusCode": "HTTP_301", "protocol": "HTTPS", "port": "443"}`,
/// `{"type": "fixed-response", "statusCode": "404", "contentType": "text/plain", "messageBody": "…"}`.
public enum RuleAction: Codable, Sendable, Equatable {
    /// Target groups by weight; `stickinessSeconds` (1-604800) when target group stickiness is on.
    case forward([WeightedTargetGroup], stickinessSeconds: Int? = nil)
    case redirect(RedirectAction)
    case fixedResponse(FixedResponseAction)

    /// AWS's name of the action type.
    public var type: String {
        switch self {
        case .forward: "forward"
        case .redirect: "redirect"
        case .fixedResponse: "fixed-response"
        }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case type, targetGroups, targetGroupStickinessSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "forward":
            try decoder.refuseUnknownKeys(CodingKeys.self)
            self = .forward(try container.decode([WeightedTargetGroup].self, forKey: .targetGroups),
                            stickinessSeconds: try container.decodeIfPresent(Int.self, forKey: .targetGroupStickinessSeconds))
        case "redirect": self = .redirect(try RedirectAction(from: decoder))
        case "fixed-response": self = .fixedResponse(try FixedResponseAction(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown action type \"\(type)\"; expected forward, redirect or fixed-response"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .forward(let groups, let stickinessSeconds):
            try container.encode(groups, forKey: .targetGroups)
            try container.encodeIfPresent(stickinessSeconds, forKey: .targetGroupStickinessSeconds)
        case .redirect(let redirect): try redirect.encode(to: encoder)
        case .fixedResponse(let response): try response.encode(to: encoder)
        }
    }
}

/// A target group named by a forward action, with its weight (0-999, default 1).
public struct WeightedTargetGroup: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, weight
    }

    public var name: String
    public var weight: Int

    public init(name: String, weight: Int = 1) {
        self.name = name
        self.weight = weight
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        weight = try container.decodeIfPresent(Int.self, forKey: .weight) ?? 1
    }
}

/// A redirect action. Each URL component defaults to its placeholder, so only what changes
/// needs to be given; at least one of protocol, host, port and path must change.
///
/// Placeholders: `#{protocol}` (`http`/`https`), `#{host}` (the Host header without port),
/// `#{port}` (the listener port), `#{path}` (the original path **without** its leading `/`,
/// as AWS documents, hence the default `/#{path}`), `#{query}` (without the `?`).
public struct RedirectAction: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case statusCode, `protocol`, host, port, path, query
    }

    /// `HTTP_301` or `HTTP_302`.
    public var statusCode: String
    /// `HTTP`, `HTTPS` or `#{protocol}`.
    public var `protocol`: String
    /// Host name, may contain `#{host}`.
    public var host: String
    /// `1`-`65535` or `#{port}`.
    public var port: String
    /// Absolute path starting with `/`; may contain `#{host}`, `#{path}`, `#{port}`.
    public var path: String
    /// Query without leading `?`; may contain any placeholder.
    public var query: String

    public init(
        statusCode: String, protocol: String = "#{protocol}", host: String = "#{host}", port: String = "#{port}",
        path: String = "/#{path}", query: String = "#{query}"
    ) {
        self.statusCode = statusCode
        self.protocol = `protocol`
        self.host = host
        self.port = port
        self.path = path
        self.query = query
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self, extra: ["type"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        statusCode = try container.decode(String.self, forKey: .statusCode)
        `protocol` = try container.decodeIfPresent(String.self, forKey: .protocol) ?? "#{protocol}"
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? "#{host}"
        port = try container.decodeIfPresent(String.self, forKey: .port) ?? "#{port}"
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? "/#{path}"
        query = try container.decodeIfPresent(String.self, forKey: .query) ?? "#{query}"
    }
}

/// A fixed-response action: the node answers itself.
public struct FixedResponseAction: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case statusCode, contentType, messageBody
    }

    /// A 2XX, 4XX or 5XX code, as a string like AWS's API (`"404"`).
    public var statusCode: String
    /// `text/plain`, `text/css`, `text/html`, `application/javascript` or `application/json`.
    public var contentType: String?
    /// Up to 1024 characters.
    public var messageBody: String?

    /// The status code as a number when it is a valid 2XX, 4XX or 5XX code.
    public var statusCodeValue: Int? {
        guard statusCode.utf8.count == 3, let code = Int(statusCode), [2, 4, 5].contains(code / 100) else { return nil }
        return code
    }

    public init(statusCode: String, contentType: String? = nil, messageBody: String? = nil) {
        self.statusCode = statusCode
        self.contentType = contentType
        self.messageBody = messageBody
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self, extra: ["type"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        statusCode = try container.decode(String.self, forKey: .statusCode)
        contentType = try container.decodeIfPresent(String.self, forKey: .contentType)
        messageBody = try container.decodeIfPresent(String.self, forKey: .messageBody)
    }
}

