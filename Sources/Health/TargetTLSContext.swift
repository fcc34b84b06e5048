import NIOSSL

/// The TLS client side ELB nodes use toward targets (HTTPS target groups, HTTPS health checks,
/// `TLS` target groups behind an NLB's TLS listener): targets' certificates are not verified,
/// as AWS does not verify them, and no SNI name is sent. Toward a `TLS` target the node offers
/// the application protocol its client negotiated (ALPN). Contexts are made on first use and
/// kept for the process.
public enum TargetTLSContext {
    private static func make(offering protocols: [String]) -> Result<NIOSSLContext, any Error> {
        Result {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            configuration.applicationProtocols = protocols
            return try NIOSSLContext(configuration: configuration)
        }
    }

    private static let plain = make(offering: [])
    /// The protocols an NLB's ALPN policies can negotiate with a client.
    private static let offering: [String: Result<NIOSSLContext, any Error>] = Dictionary(
        uniqueKeysWithValues: ["h2", "http/1.1", "http/1.0"].map { ($0, make(offering: [$0])) })

    /// The shared context without ALPN; throws only if BoringSSL could not make one.
    public static func context() throws -> NIOSSLContext {
        try plain.get()
    }

    /// A handler that speaks TLS to a target over the channel it is added to, offering
    /// `applicationProtocol` (one of `h2`, `http/1.1`, `http/1.0`) when given.
    public static func handler(offering applicationProtocol: String? = nil) throws -> NIOSSLClientHandler {
        let context = try applicationProtocol.flatMap { offering[$0] }?.get() ?? plain.get()
        return try NIOSSLClientHandler(context: context, serverHostname: nil)
    }
}
