/// How the node rewrites a request's headers for the target, as the load balancer's
/// `routing.http.*` attributes ask: `X-Forwarded-For` appended to (with the client's port or
/// not), kept or removed; `Host` kept as sent or given the listener's port. The defaults are
/// AWS's.
public struct ForwardedHeaderPolicy: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case xffHeaderProcessingMode, xffClientPort, preserveHostHeader
    }

    /// `routing.http.xff_header_processing.mode`.
    public enum XFFMode: String, Codable, Sendable {
        /// The client's address is appended (the default).
        case append
        /// `X-Forwarded-For` goes to the target as the client sent it (none when it sent none).
        case preserve
        /// `X-Forwarded-For` is removed.
        case remove
    }

    public var xffHeaderProcessingMode: XFFMode
    /// `routing.http.xff_client_port.enabled`: append `address:port` instead of the address.
    public var xffClientPort: Bool
    /// `routing.http.preserve_host_header.enabled`: `Host` goes unchanged; otherwise a `Host`
    /// without port gets the listener's port when that is not the scheme's default.
    public var preserveHostHeader: Bool

    /// Whether every setting is AWS's default (the node's head rewriting then does no more).
    var isDefault: Bool { self == ForwardedHeaderPolicy() }

    public init(xffHeaderProcessingMode: XFFMode = .append, xffClientPort: Bool = false, preserveHostHeader: Bool = false) {
        self.xffHeaderProcessingMode = xffHeaderProcessingMode
        self.xffClientPort = xffClientPort
        self.preserveHostHeader = preserveHostHeader
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ForwardedHeaderPolicy()
        xffHeaderProcessingMode = try container.decodeIfPresent(XFFMode.self, forKey: .xffHeaderProcessingMode)
            ?? defaults.xffHeaderProcessingMode
        xffClientPort = try container.decodeIfPresent(Bool.self, forKey: .xffClientPort) ?? defaults.xffClientPort
        preserveHostHeader = try container.decodeIfPresent(Bool.self, forKey: .preserveHostHeader) ?? defaults.preserveHostHeader
    }
}
