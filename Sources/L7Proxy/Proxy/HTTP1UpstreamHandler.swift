import NIOCore
import NIOHTTP1

/// The whole HTTP/1.1 side of a keep-alive connection to a target, in one handler after TLS (if
/// any): writes the forwarded request as bytes (``UpstreamRequestBytes``), reads the response
/// (``UpstreamResponseReader``) and hands its parts to the exchange using the connection, keeps
/// the load balancer's idle timeout (``ConnectionTimer``), holds reads while the exchange's
/// client is slow, and counts the connection into its loop's ``ProxyLoopMetrics``. One handler
/// instead of NIO's encoder, header validator and decoder with an idle-timeout and a metrics
/// handler: a response crosses one pipeline hop, not six. Confined to its event loop.
final class HTTP1UpstreamHandler: ChannelDuplexHandler, UpstreamExchangeHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    weak var receiver: (any UpstreamResponseReceiver)?
    private(set) var lastResponseAllowsReuse = true
    private(set) var context: ChannelHandlerContext?
    private let timer: ConnectionTimer
    private let metrics: ProxyLoopMetrics
    private var isCounted = false
    private var reader = UpstreamResponseReader()
    /// The start of a response part that has not arrived whole (a head, a chunk-size line).
    private var partial: ByteBuffer?
    private var requestIsChunked = false
    /// The last request head's buffer, kept when small: once the socket has taken its bytes
    /// the handler holds its only reference, and the next head is written into it without
    /// allocating.
    private var headBuffer: ByteBuffer?
    /// Whether the response being received lets the connection stay open.
    private var responseKeepsAlive = false
    var heldReads = HeldReads()

    /// Larger head buffers (long cookies, say) are not kept.
    static let keptHeadBufferCapacity = 2048

    init(idleTimeout: TimeAmount, metrics: ProxyLoopMetrics) {
        timer = ConnectionTimer(idleTimeout: idleTimeout)
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // The closure holds the handler until `handlerRemoved` cancels the timer.
        timer.start(on: context.eventLoop, onIdle: { self.fail(.idleTimeout) })
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer.cancel()
        self.context = nil
    }

    // MARK: Requests

    func send(_ part: UpstreamRequestPart) {
        guard let context else { return }
        let allocator = context.channel.allocator
        do {
            switch part {
            case .head(let head):
                lastResponseAllowsReuse = false
                reader.expectResponse(toHEAD: head.method == .HEAD)
                var bytes = headBuffer ?? allocator.buffer(capacity: 256)
                headBuffer = nil
                bytes.clear()
                requestIsChunked = try UpstreamRequestBytes.writeHead(head, to: &bytes)
                if bytes.capacity <= Self.keptHeadBufferCapacity { headBuffer = bytes }
                context.write(wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
            case .body(let body):
                guard body.readableBytes > 0 else { return }
                if requestIsChunked {
                    // Empty chunks are never framed: one would end the body.
                    context.write(wrapOutboundOut(.byteBuffer(UpstreamRequestBytes.chunkStart(length: body.readableBytes, allocator: allocator))),
                                  promise: nil)
                    context.write(wrapOutboundOut(body), promise: nil)
                    context.write(wrapOutboundOut(.byteBuffer(allocator.buffer(staticString: "\r\n"))), promise: nil)
                } else {
                    context.write(wrapOutboundOut(body), promise: nil)
                }
            case .end(let trailers):
                guard requestIsChunked else { return }
                context.write(wrapOutboundOut(.byteBuffer(try UpstreamRequestBytes.lastChunk(trailers: trailers, allocator: allocator))),
                              promise: nil)
            }
        } catch {
            // A field that cannot be sent (CR, LF or NUL in a value): the target never sees the request.
            fail(.malformedResponse)
        }
    }

    func flush() {
        timer.noteActivity()
        context?.flush()
    }

    // MARK: Responses

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        guard receiver != nil, reader.awaitsResponse else {
            // Nothing was asked: a target that talks out of turn cannot be trusted with reuse.
            fail(.closed)
            return
        }
        if var earlier = partial {
            partial = nil
            earlier.writeBuffer(&bytes)
            bytes = earlier
        }
        do {
            while let part = try reader.next(from: &bytes) {
                deliver(part, bytesAfter: bytes.readableBytes)
            }
        } catch {
            fail(.malformedResponse)
            return
        }
        if bytes.readableBytes > 0, reader.awaitsResponse { partial = bytes }
    }

    private func deliver(_ part: UpstreamResponsePart, bytesAfter: Int) {
        guard let receiver else { return }
        switch part {
        case .head(let head):
            responseKeepsAlive = head.isKeepAlive
        case .end:
            // Bytes after the response were not asked for.
            lastResponseAllowsReuse = responseKeepsAlive && !reader.isDelimitedByClose && bytesAfter == 0
            self.receiver = nil
        case .body:
            break
        }
        receiver.upstreamReceived(part)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        timer.noteActivity()
        receiver?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    // MARK: Connection

    func channelActive(context: ChannelHandlerContext) {
        isCounted = true
        metrics.connectionOpened()
        timer.noteActivity()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if isCounted {
            isCounted = false
            metrics.connectionClosed()
        }
        timer.cancel()
        lastResponseAllowsReuse = false
        if let receiver {
            self.receiver = nil
            // A body delimited by the connection's end is complete now; any other response was cut short.
            if let end = reader.connectionEnded() {
                receiver.upstreamReceived(end)
            } else {
                receiver.upstreamFailed(.closed)
            }
        }
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        receiver?.upstreamWritabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(.closed)
    }

    func read(context: ChannelHandlerContext) {
        heldReads.read(context: context)
    }

    private func fail(_ failure: UpstreamFailure) {
        lastResponseAllowsReuse = false
        if let receiver {
            self.receiver = nil
            receiver.upstreamFailed(failure)
        }
        context?.close(promise: nil)
    }
}
