/// How a request's body is delimited on the client connection (RFC 9112 section 6.3).
enum RequestFraming: Equatable {
    /// `Content-Length` bytes, 0 without a body.
    case length(Int)
    /// `Transfer-Encoding: chunked`.
    case chunked
}
