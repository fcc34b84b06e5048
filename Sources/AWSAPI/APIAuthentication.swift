/// How the endpoint checks callers: SigV4 with the state directory's key pair, or not at all
/// (`--api-auth none`, for throwaway CI containers; the daemon says so when it starts).
public enum APIAuthentication: Sendable {
    case signatureV4(SignatureV4Verifier)
    case none
}
