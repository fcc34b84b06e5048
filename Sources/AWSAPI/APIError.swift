/// An error answered to an AWS API client: AWS's code and message, the HTTP status AWS uses for
/// it, and whether the caller (`Sender`) or the service (`Receiver`) is at fault.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let status: Int
    public let isSenderFault: Bool

    public init(_ code: String, _ message: String, status: Int = 400, isSenderFault: Bool = true) {
        self.code = code
        self.message = message
        self.status = status
        self.isSenderFault = isSenderFault
    }

    public var description: String { "\(code): \(message)" }

    public static func missingAuthentication() -> APIError {
        APIError("MissingAuthenticationToken", "Request is missing Authentication Token", status: 403)
    }

    public static func incompleteSignature(_ detail: String) -> APIError {
        APIError("IncompleteSignature", detail, status: 403)
    }

    public static func invalidClientTokenId() -> APIError {
        APIError("InvalidClientTokenId", "The security token included in the request is invalid.", status: 403)
    }

    public static func signatureDoesNotMatch(_ message: String = """
        The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key \
        and signing method. Consult the service documentation for details.
        """) -> APIError {
        APIError("SignatureDoesNotMatch", message, status: 403)
    }

    /// An action lbnet does not carry out, named (never accepted and ignored).
    public static func invalidAction(_ action: String, service: String) -> APIError {
        APIError("InvalidAction", "lbnet does not implement the \(service) action \(action) yet")
    }

    public static func validation(_ message: String) -> APIError { APIError("ValidationError", message) }

    public static func missingParameter(_ name: String) -> APIError {
        APIError("MissingParameter", "The request must contain the parameter \(name)")
    }

    public static func internalFailure(_ detail: String) -> APIError {
        APIError("InternalFailure", detail, status: 500, isSenderFault: false)
    }
}
