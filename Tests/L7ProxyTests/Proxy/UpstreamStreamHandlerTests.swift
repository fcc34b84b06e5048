import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import L7Proxy

/// Records what an upstream handler hands to its receiver.
final class RecordingReceiver: UpstreamResponseReceiver {
    var parts: [HTTPClientResponsePart] = []
    var failures: [UpstreamFailure] = []
    var writability: [Bool] = []
    var readsCompleted = 0

    func upstreamReceived(_ part: UpstreamResponsePart) { parts.append(part.nioPart) }
    func upstreamReadComplete() { readsCompleted += 1 }
    func upstreamWritabilityChanged(isWritable: Bool) { writability.append(isWritable) }
    func upstreamFailed(_ failure: UpstreamFailure) { failures.append(failure) }
}

/// Counts the reads that get past the handlers after it.
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = Any
    var reads = 0

    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }
}

@Suite struct UpstreamStreamHandlerTests {
    func makeChannel() throws -> (EmbeddedChannel, UpstreamStreamHandler, ReadCounter) {
        let handler = UpstreamStreamHandler()
        let counter = ReadCounter()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers(counter, handler)
        return (channel, handler, counter)
    }

    let request = ForwardedRequestHead.forTest(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Host": "a"]))

    @Test func deliversAResponseAndIsNeverReused() throws {
        let (channel, handler, _) = try makeChannel()
        let receiver = RecordingReceiver()
        handler.receiver = receiver
        handler.send(.head(request))
        handler.flush()
        // The forwarded head as NIO's type, for the HTTP/2 codec.
        let sent = try channel.readOutbound(as: HTTPClientRequestPart.self)
        #expect(sent == .head(request.head))
        #expect(request.head.headers["X-Lbnet-Via"] == ["alb-a"])
        try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeInbound(HTTPClientResponsePart.end(nil))
        #expect(receiver.parts.count == 2)
        #expect(!handler.lastResponseAllowsReuse)
        #expect(handler.receiver == nil)
        _ = try channel.finish()
    }

    @Test func unsolicitedDataClosesTheConnection() throws {
        let (channel, _, _) = try makeChannel()
        try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        #expect(!channel.isActive)
    }

    @Test func idleTimeoutAndCloseReachTheReceiverOnce() throws {
        let (channel, handler, _) = try makeChannel()
        let receiver = RecordingReceiver()
        handler.receiver = receiver
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(receiver.failures == [.idleTimeout])
        #expect(!channel.isActive)
        #expect(receiver.failures == [.idleTimeout])
    }

    @Test func pausedReadsWaitForResume() throws {
        let (channel, handler, counter) = try makeChannel()
        handler.pauseReading()
        channel.read()
        #expect(counter.reads == 0)
        handler.resumeReading()
        #expect(counter.reads == 1)
        handler.resumeReading()
        #expect(counter.reads == 1)
        _ = try channel.finish()
    }
}
