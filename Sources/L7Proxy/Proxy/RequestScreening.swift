import NIOHTTP1

/// Checks a readable request head before it is routed: methods ALB does not serve and ALB's
/// `X-Forwarded-For` limit. (Framing, Host and size limits are checked as the head is read, by
/// ``RequestHeadParser``.) Pure.
enum RequestScreening {
    /// ALB answers 463 when `X-Forwarded-For` already lists more addresses than this.
    static let maxForwardedAddresses = 30

    static func check(_ head: HTTPRequestHead) -> RequestRefusal? {
        switch head.method {
        case .TRACE:
            // "The client used the TRACE method, which is not supported by Application Load Balancers."
            return RequestRefusal(statusCode: 405, logReason: "MethodNotAllowed")
        case .CONNECT:
            // Elastic Load Balancing does not support CONNECT; it answers 400 rather than tunnel.
            return .malformed("UnsupportedMethod")
        default:
            break
        }
        var forwarded = 0
        for value in head.headers["X-Forwarded-For"] {
            forwarded += value.utf8.split(separator: UInt8(ascii: ",")).count
        }
        if forwarded > maxForwardedAddresses { return RequestRefusal(statusCode: 463, logReason: "TooManyForwardedAddresses") }
        return nil
    }
}
