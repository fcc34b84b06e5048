import NIOCore
import NIOHTTP1

/// A part of a request on its way to a target: the rewritten head, then the body's pieces, then
/// the end with the trailers of a chunked body.
enum UpstreamRequestPart {
    case head(ForwardedRequestHead)
    case body(IOData)
    case end(HTTPHeaders?)
}
