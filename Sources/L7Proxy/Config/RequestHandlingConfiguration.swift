/// How a node treats requests that are not RFC-compliant: the ALB attributes
/// `routing.http.desync_mitigation_mode` and `routing.http.drop_invalid_header_fields.enabled`.
///
/// JSON: `"requestHandling": {"desyncMitigationMode": "defensive", "dropInvalidHeaderFields": false}`
/// (both keys optional, with AWS's defaults).
public struct RequestHandlingConfiguration: Codable, Sendable, Equatable {
    /// `monitor`, `defensive` (AWS's default) or `strictest`.
    public var desyncMitigationMode: DesyncMitigationMode
    /// Whether headers whose names are not `[-A-Za-z0-9]+` are removed (true) or routed to
    /// targets (false, AWS's default).
    public var dropInvalidHeaderFields: Bool

    public init(desyncMitigationMode: DesyncMitigationMode = .defensive, dropInvalidHeaderFields: Bool = false) {
        self.desyncMitigationMode = desyncMitigationMode
        self.dropInvalidHeaderFields = dropInvalidHeaderFields
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        desyncMitigationMode = try container.decodeIfPresent(DesyncMitigationMode.self, forKey: .desyncMitigationMode) ?? .defensive
        dropInvalidHeaderFields = try container.decodeIfPresent(Bool.self, forKey: .dropInvalidHeaderFields) ?? false
    }
}
