import NIOCore

/// First in a server pipeline: reads a PROXY protocol version 2 header if the connection starts
/// with one, keeps it in the connection's `received` box (where the handlers that come after
/// it, TLS, ALPN and HTTP/2 streams included, read it), then forwards every byte after it and
/// leaves the pipeline. A connection that does not start with the
/// signature is forwarded untouched (the signature cannot start an HTTP request, so the header
/// is optional); one whose header is malformed is closed.
final class ProxyProtocolReceiver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var buffered: ByteBuffer?
    private let received: NIOLoopBoundBox<ProxyProtocolHeader?>

    init(received: NIOLoopBoundBox<ProxyProtocolHeader?>) {
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if var earlier = buffered {
            earlier.writeBuffer(&bytes)
            bytes = earlier
        }
        do {
            switch try ProxyProtocolHeader.parse(Array(bytes.readableBytesView)) {
            case .incomplete:
                buffered = bytes
            case .absent:
                finish(context: context, forwarding: bytes)
            case .header(let header, let length):
                received.value = header
                bytes.moveReaderIndex(forwardBy: length)
                finish(context: context, forwarding: bytes)
            }
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    private func finish(context: ChannelHandlerContext, forwarding bytes: ByteBuffer) {
        buffered = nil
        if bytes.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(bytes)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
