import NIOHTTP1

/// Checks a client's request head before anything is forwarded: request smuggling defences
/// and ALB's limits. Pure.
enum RequestScreening {
    /// Why a request head is refused, and the status the node answers with.
    enum Refusal: Error, Equatable {
        case requestLineTooLong
        case contentLengthWithTransferEncoding
        case conflictingContentLength
        case invalidContentLength
        case unsupportedTransferEncoding
        case missingHost
        case tooManyForwardedAddresses

        var statusCode: Int {
            self == .tooManyForwardedAddresses ? 463 : 400
        }

        /// The access log's `error_reason`.
        var logReason: String {
            switch self {
            case .requestLineTooLong: "RequestLineTooLong"
            case .contentLengthWithTransferEncoding: "ContentLengthWithTransferEncoding"
            case .conflictingContentLength: "ConflictingContentLength"
            case .invalidContentLength: "InvalidContentLength"
            case .unsupportedTransferEncoding: "UnsupportedTransferEncoding"
            case .missingHost: "MissingHost"
            case .tooManyForwardedAddresses: "TooManyForwardedAddresses"
            }
        }
    }

    /// ALB's limit on the request line.
    static let maxRequestLineBytes = 16 * 1024
    /// ALB answers 463 when `X-Forwarded-For` already lists more addresses than this.
    static let maxForwardedAddresses = 30

    static func check(_ head: HTTPRequestHead) -> Refusal? {
        let requestLine = head.method.rawValue.utf8.count + head.uri.utf8.count + 11
        if requestLine > maxRequestLineBytes { return .requestLineTooLong }

        let lengths = head.headers["Content-Length"]
        let encodings = head.headers["Transfer-Encoding"]
        if !lengths.isEmpty, !encodings.isEmpty { return .contentLengthWithTransferEncoding }
        if !lengths.isEmpty {
            let values = lengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { String($0.trimmingWhitespace) }
            guard values.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }) else {
                return .invalidContentLength
            }
            if Set(values).count > 1 { return .conflictingContentLength }
        }
        if !encodings.isEmpty {
            let codings = encodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace.lowercased() }
            if codings != ["chunked"] { return .unsupportedTransferEncoding }
        }
        if head.version.major == 1, head.version.minor >= 1, head.headers["Host"].count != 1 { return .missingHost }

        let forwarded = head.headers["X-Forwarded-For"].flatMap { $0.split(separator: ",") }
        if forwarded.count > maxForwardedAddresses { return .tooManyForwardedAddresses }
        return nil
    }
}
