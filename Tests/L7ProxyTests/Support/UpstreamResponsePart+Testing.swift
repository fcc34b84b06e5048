import NIOHTTP1

@testable import L7Proxy

extension UpstreamResponsePart {
    /// The part with its head as NIO's type, which tests compare.
    var nioPart: HTTPClientResponsePart {
        switch self {
        case .head(let head): .head(head.head)
        case .body(let body): .body(body)
        case .end(let trailers): .end(trailers)
        }
    }
}
