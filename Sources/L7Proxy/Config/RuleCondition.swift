/// One condition of a listener rule, with AWS's field names.
///
/// JSON: `{"field": "host-header", "values": ["*.example.com"]}`; `http-header` adds
/// `"httpHeaderName"`; `query-string` takes objects as values: `{"key": "v", "value": "2"}`
/// with `key` optional.
public enum RuleCondition: Codable, Sendable, Equatable {
    /// Host names, case-insensitive, with `*` and `?` wildcards; the port is ignored.
    case hostHeader([String])
    /// Path patterns, case-sensitive, with wildcards, matched against the path without query.
    case pathPattern([String])
    /// A header (name case-insensitive) whose value matches one of the patterns (case-insensitive).
    case httpHeader(name: String, values: [String])
    /// Request methods, compared exactly.
    case httpRequestMethod([String])
    /// Query parameters; a pair without key matches any parameter's value.
    case queryString([QueryStringPair])
    /// CIDR blocks matched against the connection's peer address (never `X-Forwarded-For`).
    case sourceIP([String])

    /// AWS's name of the condition's field.
    public var field: String {
        switch self {
        case .hostHeader: "host-header"
        case .pathPattern: "path-pattern"
        case .httpHeader: "http-header"
        case .httpRequestMethod: "http-request-method"
        case .queryString: "query-string"
        case .sourceIP: "source-ip"
        }
    }

    /// How many values the condition lists.
    var valueCount: Int {
        switch self {
        case .hostHeader(let values), .pathPattern(let values), .httpRequestMethod(let values),
            .sourceIP(let values), .httpHeader(_, let values):
            values.count
        case .queryString(let pairs): pairs.count
        }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case field, values, httpHeaderName
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let field = try container.decode(String.self, forKey: .field)
        switch field {
        case "host-header": self = .hostHeader(try container.decode([String].self, forKey: .values))
        case "path-pattern": self = .pathPattern(try container.decode([String].self, forKey: .values))
        case "http-header":
            self = .httpHeader(
                name: try container.decode(String.self, forKey: .httpHeaderName),
                values: try container.decode([String].self, forKey: .values)
            )
        case "http-request-method": self = .httpRequestMethod(try container.decode([String].self, forKey: .values))
        case "query-string": self = .queryString(try container.decode([QueryStringPair].self, forKey: .values))
        case "source-ip": self = .sourceIP(try container.decode([String].self, forKey: .values))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .field, in: container,
                debugDescription: "unknown condition field \"\(field)\"; expected host-header, path-pattern, "
                    + "http-header, http-request-method, query-string or source-ip"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(field, forKey: .field)
        switch self {
        case .hostHeader(let values), .pathPattern(let values), .httpRequestMethod(let values), .sourceIP(let values):
            try container.encode(values, forKey: .values)
        case .httpHeader(let name, let values):
            try container.encode(name, forKey: .httpHeaderName)
            try container.encode(values, forKey: .values)
        case .queryString(let pairs):
            try container.encode(pairs, forKey: .values)
        }
    }
}

/// A `query-string` condition value: a parameter key (optional) and value, both with wildcards.
public struct QueryStringPair: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case key, value
    }

    public var key: String?
    public var value: String

    public init(key: String? = nil, value: String) {
        self.key = key
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decodeIfPresent(String.self, forKey: .key)
        value = try container.decode(String.self, forKey: .value)
    }
}

