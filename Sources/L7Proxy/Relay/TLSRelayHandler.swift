#if canImport(Glibc)
import Glibc
#endif
import Health
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// The start of one TLS listener connection, after its ``ListenerTLS`` server handler: once the
/// client's handshake is done, connects to the listener's relay (from the same event loop, the
/// socket marked for the node's datapath, with TLS of its own for `TLS` target groups, offering
/// them the application protocol the client negotiated), then
/// hands both connections to a ``RelayGlue`` pair and steps aside. Bytes that arrive before the
/// relay is connected are kept and sent first; reads wait meanwhile. A relay that cannot be
/// reached closes the client's connection, as an NLB does when no target answers.
final class TLSRelayHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer

    private let relay: TLSRelayConfiguration
    private let connectTimeout: TimeAmount
    private var early: [ByteBuffer] = []
    private var connecting = false

    init(relay: TLSRelayConfiguration, connectTimeout: TimeAmount) {
        self.relay = relay
        self.connectTimeout = connectTimeout
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted(let negotiated)? = event as? TLSUserEvent, !connecting {
            connecting = true
            connect(context: context, applicationProtocol: negotiated)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        early.append(unwrapInboundIn(data))
    }

    func read(context: ChannelHandlerContext) {
        // The handshake needs reads; after it, reads wait for the relay.
        if !connecting { context.read() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// A `TLS` target is offered the protocol the client negotiated, as AWS offers it.
    private func connect(context: ChannelHandlerContext, applicationProtocol: String?) {
        let (clientSide, targetSide) = RelayGlue.pair()
        let relay = self.relay
        var bootstrap = ClientBootstrap(group: context.eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
        if let mark = relay.mark {
            bootstrap = bootstrap.channelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_MARK)), value: Int(mark))
        }
        // The target's channel runs on this connection's event loop (the bootstrap's group).
        let boundTargetSide = NIOLoopBound(targetSide, eventLoop: context.eventLoop)
        let connected = bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if relay.targetTLS {
                    try channel.pipeline.syncOperations.addHandler(TargetTLSContext.handler(offering: applicationProtocol))
                }
                try channel.pipeline.syncOperations.addHandler(boundTargetSide.value)
            }
        }.connect(host: relay.address, port: relay.port)
        connected.assumeIsolated().whenComplete { result in
            switch result {
            case .failure:
                context.close(promise: nil)
            case .success(let target):
                guard context.channel.isActive else {
                    target.close(promise: nil)
                    return
                }
                do {
                    try context.pipeline.syncOperations.addHandler(clientSide, position: .after(self))
                } catch {
                    target.close(promise: nil)
                    context.close(promise: nil)
                    return
                }
                for bytes in self.early { context.fireChannelRead(self.wrapInboundOut(bytes)) }
                self.early = []
                context.fireChannelReadComplete()
                self.connecting = false
                let channel = context.channel
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                channel.read()
            }
        }
    }
}
