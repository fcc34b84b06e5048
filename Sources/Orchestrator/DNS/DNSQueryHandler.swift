import NIOCore
import Synchronization

/// Answers each datagram from the zone of the moment (``DNSAnswerer`` replaces it after every
/// reconcile); a datagram without even an ID is dropped.
final class DNSQueryHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let zone: ZoneBox

    init(zone: ZoneBox) { self.zone = zone }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let answer: ByteBuffer?
        do {
            let query = try DNSQuery.parse(envelope.data)
            let (code, addresses) = zone.current.answer(query)
            answer = DNSAnswer.encode(query, code: code, addresses: addresses, allocator: context.channel.allocator)
        } catch {
            answer = DNSAnswer.encode(error, allocator: context.channel.allocator)
        }
        guard let answer else { return }
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: answer)), promise: nil)
    }

    /// A query that cannot be answered (the client went away) is not the answerer's failure.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}

/// The zone the handlers of every namespace answer from.
final class ZoneBox: Sendable {
    private let zone = Mutex(LoadBalancerZone())

    var current: LoadBalancerZone { zone.withLock { $0 } }

    func replace(with next: LoadBalancerZone) { zone.withLock { $0 = next } }
}
