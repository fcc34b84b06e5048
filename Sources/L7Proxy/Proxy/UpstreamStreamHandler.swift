import NIOCore
import NIOHTTP1

/// The handler at the end of an HTTP/2 stream to a target (after NIO's HTTP/2-to-HTTP/1
/// codec): sends the request parts and hands the response's parts to the stream's receiver.
/// A stream ends with its response, so it is never reused.
final class UpstreamStreamHandler: ChannelDuplexHandler, UpstreamExchangeHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    weak var receiver: (any UpstreamResponseReceiver)?
    var lastResponseAllowsReuse: Bool { false }
    private(set) var context: ChannelHandlerContext?
    var heldReads = HeldReads()

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func send(_ part: UpstreamRequestPart) {
        guard let context else { return }
        let codecPart: HTTPClientRequestPart =
            switch part {
            case .head(let head): .head(head.head)
            case .body(let body): .body(body)
            case .end(let trailers): .end(trailers)
            }
        context.write(wrapOutboundOut(codecPart), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard let receiver else {
            // Nothing was asked: a target that talks out of turn cannot be trusted with reuse.
            context.close(promise: nil)
            return
        }
        switch part {
        case .head(let head): receiver.upstreamReceived(.head(TargetResponseHead(head)))
        case .body(let body): receiver.upstreamReceived(.body(body))
        case .end(let trailers):
            self.receiver = nil
            receiver.upstreamReceived(.end(trailers))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        receiver?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        receiver?.upstreamWritabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            fail(.idleTimeout, context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error is HTTPParserError || error is NIOHTTPDecoderError ? .malformedResponse : .closed, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let receiver {
            self.receiver = nil
            receiver.upstreamFailed(.closed)
        }
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        heldReads.read(context: context)
    }

    private func fail(_ failure: UpstreamFailure, context: ChannelHandlerContext) {
        if let receiver {
            self.receiver = nil
            receiver.upstreamFailed(failure)
        }
        context.close(promise: nil)
    }
}
