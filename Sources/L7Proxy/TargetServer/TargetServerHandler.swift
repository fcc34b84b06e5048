import NIOCore
import NIOHTTP1

/// Answers each request on one connection of the target server once its body (ignored as it
/// streams in) has ended: ``FillerRequest``s with `x` bytes, others with a ``TargetResponse``.
final class TargetServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let configuration: TargetServer.Configuration
    private var request: HTTPRequestHead?
    /// The connection's PROXY protocol header, when it started with one.
    private let proxyProtocol: NIOLoopBoundBox<ProxyProtocolHeader?>
    /// The longest filler body this connection sent, kept so the next one is a slice of it.
    private var filler: ByteBuffer?

    init(configuration: TargetServer.Configuration, proxyProtocol: NIOLoopBoundBox<ProxyProtocolHeader?>) {
        self.configuration = configuration
        self.proxyProtocol = proxyProtocol
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break
        case .end:
            guard let request else { return }
            self.request = nil
            respond(to: request, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        if let length = FillerRequest.length(of: request) {
            respondWithFiller(length, to: request, context: context)
            return
        }
        let response = TargetResponse.answering(
            request,
            instance: configuration.instanceName,
            availabilityZone: configuration.availabilityZone,
            localAddress: context.channel.localAddress,
            remoteAddress: context.channel.remoteAddress,
            proxyProtocol: proxyProtocol.value
        )
        context.write(wrapOutboundOut(.head(response.head(answering: request))), promise: nil)
        if request.method != .HEAD {
            let body = context.channel.allocator.buffer(string: response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        end(request, context: context)
    }

    private func respondWithFiller(_ length: Int, to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let response = TargetResponse(status: .ok, contentType: "application/octet-stream", body: "")
        var head = response.head(answering: request)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(length))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD, length > 0 {
            if (filler?.readableBytes ?? 0) < length {
                filler = context.channel.allocator.buffer(repeating: UInt8(ascii: "x"), count: length)
            }
            if let body = filler?.getSlice(at: 0, length: length) {
                context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            }
        }
        end(request, context: context)
    }

    private func end(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !request.isKeepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
