extension TargetHealth {
    /// What one health check found.
    public enum CheckResult: Sendable, Hashable {
        /// The target accepted the connection (TCP: no status code) or answered with a
        /// matching code.
        case success(statusCode: Int?)
        /// The target answered with a code the matcher does not accept.
        case responseCodeMismatch(statusCode: Int)
        /// No connection or no complete answer within the timeout.
        case timeout
        /// The connection failed, the answer was not HTTP, or the check could not be sent.
        case failed(String)

        public var isSuccess: Bool {
            if case .success = self { true } else { false }
        }

        /// The reason code a failure gives an unhealthy target.
        var failureReason: Reason {
            switch self {
            case .responseCodeMismatch: .responseCodeMismatch
            case .timeout: .timeout
            case .failed, .success: .failedHealthChecks
            }
        }

        /// The description a failure gives an unhealthy target, worded as AWS does.
        var failureDescription: String {
            switch self {
            case .responseCodeMismatch(let code): "Health checks failed with these codes: [\(code)]"
            case .failed(let detail): "Health checks failed: \(detail)"
            case .timeout, .success: failureReason.defaultDescription
            }
        }
    }
}
