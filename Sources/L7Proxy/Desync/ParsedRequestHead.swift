import NIOHTTP1

/// A client's request head as the node read it: the head it routes and forwards (line folds
/// joined, unusable lines left out, unsafe bytes of the target percent-encoded, framing headers
/// reduced to the one the node delimits the body by, the Host of an absolute-form target), how
/// AWS's desync guardian classifies it, and how its body is delimited. Immutable; a class, so
/// that it crosses the pipeline as one reference (no boxed copy per request).
final class ParsedRequestHead: Sendable {
    let head: HTTPRequestHead
    let classification: DesyncClassification
    let framing: RequestFraming
    /// Set when the head was read but the node answers it with an error (its body cannot be
    /// delimited, or its transfer coding is not supported); nothing after it is read.
    let refusal: RequestRefusal?
    /// Whether a header name is outside AWS's valid set (`[-A-Za-z0-9]+`), the headers
    /// `routing.http.drop_invalid_header_fields.enabled` drops.
    let hasInvalidHeaderNames: Bool

    /// A head that needs no reading, such as an HTTP/2 stream's (the guardian classifies HTTP/1 only).
    init(head: HTTPRequestHead) {
        self.head = head
        classification = .compliant
        framing = .length(0)
        refusal = nil
        hasInvalidHeaderNames = false
    }

    init(head: HTTPRequestHead, classification: DesyncClassification, framing: RequestFraming, refusal: RequestRefusal?,
         hasInvalidHeaderNames: Bool) {
        self.head = head
        self.classification = classification
        self.framing = framing
        self.refusal = refusal
        self.hasInvalidHeaderNames = hasInvalidHeaderNames
    }

    /// The head without the headers whose names AWS holds invalid.
    func droppingInvalidHeaders() -> HTTPRequestHead {
        var head = head
        var kept = HTTPHeaders()
        for (name, value) in head.headers where name.utf8.allSatisfy(HTTPBytes.isValidHeaderNameByte) {
            kept.add(name: name, value: value)
        }
        head.headers = kept
        return head
    }
}
