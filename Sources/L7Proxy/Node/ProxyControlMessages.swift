/// One request on a proxy's control socket: `{"op":"reload"}`, `{"op":"report"}` or
/// `{"op":"metrics"}`, one JSON object per line.
public struct ProxyControlRequest: Codable, Sendable, Equatable {
    public let op: String

    public init(op: String) { self.op = op }

    /// Re-read the configuration file and serve it; answered with a ``ProxyReloadAnswer``.
    public static let reload = ProxyControlRequest(op: "reload")
    /// Answered with the ``ProxyNodeReport``.
    public static let report = ProxyControlRequest(op: "report")
    /// Answered with the ``ProxyMetricsReport``.
    public static let metrics = ProxyControlRequest(op: "metrics")
}

/// The answer to `reload`, sent once the file's contents serve (or were refused, in which case
/// the previous configuration keeps serving): `{"digest":"...","error":null}`.
public struct ProxyReloadAnswer: Codable, Sendable, Equatable {
    /// The digest of the file contents the proxy read (see ``ConfigurationDigest``).
    public let digest: String
    /// Why those contents were refused; `nil` when they serve.
    public let error: String?

    public init(digest: String, error: String?) {
        self.digest = digest
        self.error = error
    }

    private enum CodingKeys: String, CodingKey { case digest, error }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(digest, forKey: .digest)
        try container.encode(error, forKey: .error)  // an explicit null, as the protocol says
    }
}

/// What a control socket answers to a request it does not understand.
struct ProxyControlFailure: Codable, Sendable {
    let error: String
}
