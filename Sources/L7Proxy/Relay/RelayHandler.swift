#if canImport(Glibc)
import Glibc
#endif
import Health
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// The start of one relayed connection (an NLB node's terminator): for a `TLS` listener once the
/// client's handshake is done (after its ``ListenerTLS`` server handler), for a `TCP` listener
/// as soon as the client is connected. Connects to the listener's relay (from the same event
/// loop, the socket marked for the node's datapath), first sending a PROXY protocol v2 header
/// naming the client when the relay asks for one, then TLS of its own for `TLS` target groups,
/// offering them the application protocol the client negotiated; then
/// hands both connections to a ``RelayGlue`` pair and steps aside. Bytes that arrive before the
/// relay is connected are kept and sent first; reads wait meanwhile. A relay that cannot be
/// reached closes the client's connection, as an NLB does when no target answers.
final class RelayHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer

    private let relay: RelayConfiguration
    private let connectTimeout: TimeAmount
    private var early: [ByteBuffer] = []
    private var connecting = false
    private let waitsForHandshake: Bool

    /// `waitsForHandshake`: the connection is a TLS session, relayed once its handshake is done.
    init(relay: RelayConfiguration, connectTimeout: TimeAmount, waitsForHandshake: Bool) {
        self.relay = relay
        self.connectTimeout = connectTimeout
        self.waitsForHandshake = waitsForHandshake
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if !waitsForHandshake, context.channel.isActive { start(context: context, applicationProtocol: nil) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if !waitsForHandshake { start(context: context, applicationProtocol: nil) }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted(let negotiated)? = event as? TLSUserEvent { start(context: context, applicationProtocol: negotiated) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        early.append(unwrapInboundIn(data))
    }

    func read(context: ChannelHandlerContext) {
        // The handshake needs reads; after it (or from the start, without TLS), reads wait for the relay.
        if waitsForHandshake, !connecting { context.read() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func start(context: ChannelHandlerContext, applicationProtocol: String?) {
        guard !connecting else { return }
        connecting = true
        connect(context: context, applicationProtocol: applicationProtocol)
    }

    /// The client's connection as the relay sees it: its peer, the address it reached, and the
    /// VPC endpoint it came through (the PrivateLink transit address it arrived on), if any.
    private struct Arrival {
        let client: ProxyProtocolHeader.Endpoint
        let reached: ProxyProtocolHeader.Endpoint
        let vpcEndpoint: String?
    }

    private func arrival(of channel: Channel) -> Arrival? {
        guard let client = channel.remoteAddress.flatMap(ProxyProtocolHeader.Endpoint.init),
              let reached = channel.localAddress.flatMap(ProxyProtocolHeader.Endpoint.init) else { return nil }
        return Arrival(client: client, reached: reached, vpcEndpoint: relay.vpcEndpoints[reached.host])
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
        // The relay's address is an IPv4 literal (the configuration is validated): no resolver.
        guard let arrival = arrival(of: context.channel), let destination = try? SocketAddress(ipAddress: relay.address, port: relay.port) else {
            // A client gone before its addresses could be read: nothing to relay.
            context.close(promise: nil)
            return
        }
        if relay.transparent, arrival.vpcEndpoint == nil {
            // From the client's own address (a port of the kernel's choosing): the target sees the client.
            guard let source = try? SocketAddress(ipAddress: arrival.client.host, port: 0) else {
                context.close(promise: nil)
                return
            }
            bootstrap = bootstrap
                .channelOption(ChannelOptions.Types.SocketOption(level: .ip, name: NIOBSDSocket.Option(rawValue: IP_TRANSPARENT)), value: 1)
                .bind(to: source)
        }
        // The target's channel runs on this connection's event loop (the bootstrap's group).
        let boundTargetSide = NIOLoopBound(targetSide, eventLoop: context.eventLoop)
        let header = relay.proxyProtocol
            ? ProxyProtocolHeader(proxying: .stream, from: arrival.client, to: arrival.reached, vpcEndpointID: arrival.vpcEndpoint) : nil
        let connected = bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let header { try channel.pipeline.syncOperations.addHandler(ConnectionPreamble(header.encoded())) }
                if relay.targetTLS {
                    try channel.pipeline.syncOperations.addHandler(TargetTLSContext.handler(offering: applicationProtocol))
                }
                try channel.pipeline.syncOperations.addHandler(boundTargetSide.value)
            }
        }.connect(to: destination)
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
