/// An NLB `TLS` listener's ALPN policy, by AWS's names: which application protocols the node
/// offers in the TLS handshake, in its order of preference (the node picks the first it shares
/// with the client).
public enum ALPNPolicy: String, Codable, Sendable, CaseIterable {
    case http1Only = "HTTP1Only"
    case http2Only = "HTTP2Only"
    case http2Optional = "HTTP2Optional"
    case http2Preferred = "HTTP2Preferred"
    /// No ALPN: the default.
    case none = "None"

    /// The protocol names offered, most preferred first.
    public var protocols: [String] {
        switch self {
        case .http1Only: ["http/1.1", "http/1.0"]
        case .http2Only: ["h2"]
        case .http2Optional: ["http/1.1", "http/1.0", "h2"]
        case .http2Preferred: ["h2", "http/1.1", "http/1.0"]
        case .none: []
        }
    }
}
