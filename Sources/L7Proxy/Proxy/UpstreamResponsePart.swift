import NIOCore
import NIOHTTP1

/// A part of a target's response on its way to the client: the head, then the body's pieces,
/// then the end with the trailers of a chunked body.
public enum UpstreamResponsePart {
    case head(TargetResponseHead)
    case body(ByteBuffer)
    case end(HTTPHeaders?)
}
