import NIOCore

/// Counts a connection (opened, open now) and, on client connections, the bytes that cross
/// it both ways, into its event loop's ``ProxyLoopMetrics``. Sits first in the pipeline, so
/// it sees the bytes as they are on the wire.
final class ConnectionMetricsHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let metrics: ProxyLoopMetrics
    private let countsBytes: Bool
    private var active = false

    /// `countsBytes`: whether the connection's bytes are `ProcessedBytes` (client side only).
    init(metrics: ProxyLoopMetrics, countsBytes: Bool) {
        self.metrics = metrics
        self.countsBytes = countsBytes
    }

    func channelActive(context: ChannelHandlerContext) {
        active = true
        metrics.connectionOpened()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if active {
            active = false
            metrics.connectionClosed()
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if countsBytes { metrics.processedBytes += unwrapInboundIn(data).readableBytes }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if countsBytes { metrics.processedBytes += unwrapOutboundIn(data).readableBytes }
        context.write(data, promise: promise)
    }
}
