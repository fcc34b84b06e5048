import NIOHTTP1

/// Decides how a request body is delimited from its `Transfer-Encoding` and `Content-Length`
/// fields (RFC 9112 section 6), classifying what AWS's desync guardian classifies: both present,
/// duplicated or unparsable lengths, repeated or unknown codings, bodies on GET and HEAD.
struct FramingHeaders {
    var framing: RequestFraming
    var refusal: RequestRefusal?
    /// Whether the request had a (valid) `Content-Length`, forwarded even when 0.
    var hadContentLength: Bool
    /// Whether the request had `Transfer-Encoding`.
    var hadTransferEncoding = false

    /// The transfer codings AWS knows; it serves `chunked` and `identity` and answers 501 to the others.
    private static let knownCodings: Set<String> = ["chunked", "identity", "gzip", "deflate", "compress"]

    static func examine(_ fields: HeaderFields, version: HTTPVersion, bodyless: Bool,
                        classification: inout DesyncClassification) -> FramingHeaders {
        var codings: [String] = []
        var hasTransferEncoding = false
        var lengths: [Substring] = []
        for field in fields.all {
            switch field.kind {
            case .transferEncoding:
                hasTransferEncoding = true
                for item in field.value.split(separator: ",", omittingEmptySubsequences: false) {
                    let coding = item.prefix { $0 != ";" }.trimmingWhitespace.lowercased()
                    codings.append(coding)
                }
            case .contentLength:
                lengths.append(Substring(field.value))
            case .host, .other:
                break
            }
        }
        var refusal: RequestRefusal?
        var unsupported = false
        if hasTransferEncoding {
            if codings.contains(where: { !knownCodings.contains($0) }) {
                classification.raise(.severe, .badTransferEncoding)
                refusal = .malformed("InvalidTransferEncoding")
            }
            if codings.filter({ $0 == "chunked" }).count > 1 {
                classification.raise(.severe, .multipleTransferEncodingChunked)
                refusal = .malformed("InvalidTransferEncoding")
            }
            unsupported = codings.contains { $0 != "chunked" && $0 != "identity" }
            if version.major == 1, version.minor == 0 || bodyless { classification.raise(.ambiguous, .undefinedTransferEncodingSemantics) }
        }
        var length: Int?
        for text in lengths {
            guard let value = Self.length(text) else {
                classification.raise(.severe, .badContentLength)
                refusal = .malformed("InvalidContentLength")
                continue
            }
            if let known = length, known != value {
                classification.raise(.severe, .multipleContentLength)
                refusal = .malformed("ConflictingContentLength")
            } else if length != nil {
                classification.raise(.ambiguous, .duplicateContentLength)
            }
            length = length ?? value
        }
        if bodyless, let length {
            classification.raise(length == 0 ? .acceptable : .ambiguous,
                                 length == 0 ? .getHeadZeroContentLength : .undefinedContentLengthSemantics)
        }
        if hasTransferEncoding, !lengths.isEmpty { classification.raise(.ambiguous, .bothTeClPresent) }
        if refusal == nil, unsupported {
            refusal = RequestRefusal(statusCode: 501, logReason: "UnsupportedTransferEncoding")
        }
        // Transfer-Encoding overrides Content-Length (RFC 9112 section 6.3); `identity` alone is no coding.
        if codings.contains("chunked") {
            return FramingHeaders(framing: .chunked, refusal: refusal, hadContentLength: false, hadTransferEncoding: true)
        }
        return FramingHeaders(framing: .length(length ?? 0), refusal: refusal, hadContentLength: length != nil,
                              hadTransferEncoding: hasTransferEncoding)
    }

    /// 1*DIGIT, at most 18 digits.
    private static func length(_ text: Substring) -> Int? {
        let digits = text.trimmingWhitespace
        guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(digits)
    }
}
