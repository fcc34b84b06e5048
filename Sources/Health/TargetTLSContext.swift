import NIOSSL

/// The TLS client side ELB nodes use toward targets (HTTPS target groups and HTTPS health
/// checks): targets' certificates are not verified, as AWS does not verify them, and no SNI
/// name is sent. One context for the process, made on first use.
public enum TargetTLSContext {
    private static let made: Result<NIOSSLContext, any Error> = Result {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try NIOSSLContext(configuration: configuration)
    }

    /// The shared context; throws only if BoringSSL could not make one.
    public static func context() throws -> NIOSSLContext {
        try made.get()
    }

    /// A handler that speaks TLS to a target over the channel it is added to.
    public static func handler() throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context(), serverHostname: nil)
    }
}
