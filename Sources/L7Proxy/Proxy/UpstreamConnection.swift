import NIOCore
import NIOHTTP1

/// Receives what an upstream connection delivers while an exchange is using it. Called on the
/// connection's event loop, which is also the client connection's.
protocol UpstreamResponseReceiver: AnyObject {
    func upstreamReceived(_ part: HTTPClientResponsePart)
    func upstreamWritabilityChanged(isWritable: Bool)
    func upstreamFailed(_ failure: UpstreamFailure)
}

/// Why an upstream connection could not deliver a complete response.
enum UpstreamFailure: Error, Equatable {
    /// Connecting took longer than the connect timeout (504).
    case connectTimeout
    /// Connecting failed, such as connection refused (502).
    case connectFailed(String)
    /// The connection closed or reset before the response completed (502).
    case closed
    /// The response was not valid HTTP (502).
    case malformedResponse
    /// No data moved for the idle timeout (504).
    case idleTimeout

    var statusCode: Int {
        switch self {
        case .connectTimeout, .idleTimeout: 504
        case .connectFailed, .closed, .malformedResponse: 502
        }
    }

    /// The access log's `error_reason`.
    var logReason: String {
        switch self {
        case .connectTimeout: "TargetConnectTimeout"
        case .connectFailed: "TargetConnectionError"
        case .closed: "TargetClosedConnection"
        case .malformedResponse: "TargetResponseError"
        case .idleTimeout: "TargetTimeout"
        }
    }
}

/// A keep-alive HTTP/1.1 connection from the node to one target, used by one exchange at a
/// time and parked in the ``UpstreamPool`` in between. Confined to its event loop.
final class UpstreamConnection {
    let channel: Channel
    let target: TargetEndpoint.Key
    private let handler: UpstreamHandler

    init(channel: Channel, target: TargetEndpoint.Key, handler: UpstreamHandler) {
        self.channel = channel
        self.target = target
        self.handler = handler
    }

    /// The exchange receiving responses; nil while pooled.
    var receiver: (any UpstreamResponseReceiver)? {
        get { handler.receiver }
        set { handler.receiver = newValue }
    }

    /// Whether the connection may carry another request: open, and the last response neither
    /// asked to close nor was cut short.
    var isReusable: Bool { channel.isActive && handler.lastResponseAllowsReuse }

    var isWritable: Bool { channel.isWritable }

    func write(_ part: HTTPClientRequestPart) {
        channel.write(part, promise: nil)
    }

    func flush() {
        channel.flush()
    }

    /// Stops reading responses until ``resumeReading()``, while the client cannot keep up.
    func pauseReading() { handler.pauseReading() }

    func resumeReading() { handler.resumeReading() }

    func close() {
        channel.close(promise: nil)
    }
}

/// The handler at the end of an upstream connection's pipeline: hands responses to the
/// connection's current receiver and holds reads while that receiver's client is slow.
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    weak var receiver: (any UpstreamResponseReceiver)?
    private(set) var lastResponseAllowsReuse = true
    private var context: ChannelHandlerContext?
    private var readsPaused = false
    private var readPending = false
    /// Whether the response being received says the connection stays open.
    private var responseKeepsAlive = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head = unwrapOutboundIn(data) {
            lastResponseAllowsReuse = false
        }
        context.write(data, promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard let receiver else {
            // Nothing was asked: a target that talks out of turn cannot be trusted with reuse.
            context.close(promise: nil)
            return
        }
        switch part {
        case .head(let head):
            responseKeepsAlive = head.isKeepAlive
        case .end:
            lastResponseAllowsReuse = responseKeepsAlive
            self.receiver = nil
        case .body:
            break
        }
        receiver.upstreamReceived(part)
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
        lastResponseAllowsReuse = false
        if let receiver {
            self.receiver = nil
            receiver.upstreamFailed(.closed)
        }
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func pauseReading() {
        readsPaused = true
    }

    func resumeReading() {
        guard readsPaused else { return }
        readsPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    private func fail(_ failure: UpstreamFailure, context: ChannelHandlerContext) {
        lastResponseAllowsReuse = false
        if let receiver {
            self.receiver = nil
            receiver.upstreamFailed(failure)
        }
        context.close(promise: nil)
    }
}
