import NIOCore
import NIOHTTP1

/// One part of a client's request as the connection handler receives it: the head with its
/// classification and framing, body bytes, and the end with any trailers.
enum ClientRequestPart {
    case head(ParsedRequestHead)
    case body(ByteBuffer)
    case end(HTTPHeaders?)
}

/// Turns an HTTP/2 stream's request parts (from `HTTP2FramePayloadToHTTP1ServerCodec`) into
/// ``ClientRequestPart``s; HTTP/2 frames delimit the body, so there is nothing to classify.
final class HTTP2RequestPartAdapter: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = ClientRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): context.fireChannelRead(wrapInboundOut(.head(ParsedRequestHead(head: head))))
        case .body(let body): context.fireChannelRead(wrapInboundOut(.body(body)))
        case .end(let trailers): context.fireChannelRead(wrapInboundOut(.end(trailers)))
        }
    }
}
