import NIOHTTP1

/// Requests for `/bytes/<n>` (any method, query ignored): the target server answers them with
/// `n` bytes of `x` once the request body has ended, so load tests can ask for a response of
/// any size and upload any body without the cost of an echo. Pure.
enum FillerRequest {
    /// The largest body a filler request can ask for: 16 MiB.
    static let maxLength = 16 * 1024 * 1024

    /// The body length `request` asks for, or nil when it is not a filler request (or asks for
    /// more than ``maxLength``).
    static func length(of request: HTTPRequestHead) -> Int? {
        let path = request.pathWithoutQuery
        guard path.hasPrefix("/bytes/"), let length = Int(path.dropFirst("/bytes/".count)),
            (0...maxLength).contains(length)
        else { return nil }
        return length
    }
}
