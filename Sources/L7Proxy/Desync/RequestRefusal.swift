/// A request the node answers itself with an error before routing it: the status, the access
/// log's `error_reason`, and how the request was classified.
struct RequestRefusal: Error, Equatable {
    var statusCode: Int
    var logReason: String
    var classification: DesyncClassification = .compliant

    /// A malformed request (400).
    static func malformed(_ reason: String, _ classification: DesyncClassification = .compliant) -> RequestRefusal {
        RequestRefusal(statusCode: 400, logReason: reason, classification: classification)
    }

    /// The client closed its side before the request was complete.
    static let incomplete = RequestRefusal.malformed("IncompleteRequest")
}
