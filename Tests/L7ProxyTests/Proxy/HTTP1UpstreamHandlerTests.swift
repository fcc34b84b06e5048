import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct HTTP1UpstreamHandlerTests {
    let metrics = ProxyLoopMetrics()

    func makeChannel() throws -> (EmbeddedChannel, HTTP1UpstreamHandler, ReadCounter) {
        let handler = HTTP1UpstreamHandler(idleTimeout: .seconds(60), metrics: metrics)
        let counter = ReadCounter()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers(counter, handler)
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 80)).wait()
        return (channel, handler, counter)
    }

    func sendRequest(_ handler: HTTP1UpstreamHandler, method: HTTPMethod = .GET) {
        handler.send(.head(.forTest(HTTPRequestHead(version: .http1_1, method: method, uri: "/", headers: ["Host": "a"]))))
        handler.send(.end(nil))
        handler.flush()
    }

    func outbound(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = data else { continue }
            text += String(buffer: buffer)
        }
        return text
    }

    @Test func forwardsTheRequestAndDeliversTheResponseThenAllowsReuse() throws {
        let (channel, handler, _) = try makeChannel()
        #expect(metrics.activeConnections == 1 && metrics.newConnections == 1)
        let receiver = RecordingReceiver()
        handler.receiver = receiver
        sendRequest(handler)
        #expect(try outbound(channel) == "GET / HTTP/1.1\r\nHost: a\r\n\(ForwardedRequestHead.testContextFields)\r\n")
        #expect(!handler.lastResponseAllowsReuse)
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        #expect(receiver.parts == [.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "2"])),
                                   .body(ByteBuffer(string: "ok")), .end(nil)])
        #expect(handler.lastResponseAllowsReuse)
        #expect(handler.receiver == nil)
        _ = try channel.finish()
        #expect(metrics.activeConnections == 0)
    }

    @Test func eachRequestOnTheConnectionIsWrittenWhole() throws {
        let (channel, handler, _) = try makeChannel()
        for (index, uri) in ["/a-longer-first-path?x=1", "/b"].enumerated() {
            let receiver = RecordingReceiver()
            handler.receiver = receiver
            handler.send(.head(.forTest(HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: ["Host": "a"]))))
            handler.send(.end(nil))
            handler.flush()
            #expect(try outbound(channel) == "GET \(uri) HTTP/1.1\r\nHost: a\r\n\(ForwardedRequestHead.testContextFields)\r\n", "request \(index)")
            try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 204 No Content\r\n\r\n"))
            #expect(receiver.parts.count == 2 && handler.lastResponseAllowsReuse, "request \(index)")
        }
        _ = try channel.finish()
    }

    @Test func aChunkedRequestBodyIsFramed() throws {
        let (channel, handler, _) = try makeChannel()
        let receiver = RecordingReceiver()
        handler.receiver = receiver
        handler.send(.head(.forTest(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Transfer-Encoding": "chunked"]))))
        handler.send(.body(.byteBuffer(ByteBuffer(string: "hello"))))
        handler.send(.body(.byteBuffer(ByteBuffer())))
        handler.send(.end(nil))
        handler.flush()
        #expect(try outbound(channel) == "POST / HTTP/1.1\r\n\(ForwardedRequestHead.testContextFields)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        #expect(receiver.parts.isEmpty)
        _ = try channel.finish()
    }

    @Test func aResponseInPiecesIsDeliveredWhole() throws {
        let (channel, handler, _) = try makeChannel()
        let receiver = RecordingReceiver()
        handler.receiver = receiver
        sendRequest(handler)
        for piece in ["HTTP/1.1 200 OK\r\nTransfer-", "Encoding: chunked\r\n\r\n3\r", "\nabc\r\n0\r\n", "\r\n"] {
            try channel.writeInbound(ByteBuffer(string: piece))
        }
        #expect(receiver.parts.count == 3)
        #expect(receiver.parts.last == .end(nil))
        #expect(handler.lastResponseAllowsReuse)
        _ = try channel.finish()
    }

    @Test func connectionCloseOrExtraBytesForbidReuse() throws {
        for response in ["HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                         "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
                         "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n"] {
            let (channel, handler, _) = try makeChannel()
            let receiver = RecordingReceiver()
            handler.receiver = receiver
            sendRequest(handler)
            try channel.writeInbound(ByteBuffer(string: response))
            #expect(receiver.parts.last == .end(nil), "\(response)")
            #expect(!handler.lastResponseAllowsReuse, "\(response)")
            _ = try? channel.finish()
        }
    }

    @Test func aBodyEndingWithTheConnectionEndsTheResponse() throws {
        let (channel, handler, _) = try makeChannel()
        let receiver = RecordingReceiver()
        handler.receiver = receiver
        sendRequest(handler)
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\nall of it"))
        channel.pipeline.fireChannelInactive()
        #expect(receiver.parts.last == .end(nil))
        #expect(receiver.failures.isEmpty)
        #expect(!handler.lastResponseAllowsReuse)
    }

    @Test func aMalformedResponseFailsAs502AndCloses() throws {
        let (channel, handler, _) = try makeChannel()
        let receiver = RecordingReceiver()
        handler.receiver = receiver
        sendRequest(handler)
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"))
        #expect(receiver.failures == [.malformedResponse])
        #expect(!channel.isActive)
    }

    @Test func aResponseCutShortFailsOnce() throws {
        let (channel, handler, _) = try makeChannel()
        let receiver = RecordingReceiver()
        handler.receiver = receiver
        sendRequest(handler)
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
        channel.pipeline.fireChannelInactive()
        #expect(receiver.failures == [.closed])
    }

    @Test func unsolicitedBytesCloseTheConnection() throws {
        let (channel, _, _) = try makeChannel()
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\n"))
        #expect(!channel.isActive)
    }

    @Test func aFieldThatCannotBeSentFailsTheExchangeUnsent() throws {
        let (channel, handler, _) = try makeChannel()
        let receiver = RecordingReceiver()
        handler.receiver = receiver
        handler.send(.head(.forTest(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["X-A": "a\rb"]))))
        #expect(receiver.failures == [.malformedResponse])
        #expect(try outbound(channel).isEmpty)
        #expect(!channel.isActive)
    }

    @Test func pausedReadsWaitForResume() throws {
        let (channel, handler, counter) = try makeChannel()
        let before = counter.reads
        handler.pauseReading()
        channel.read()
        #expect(counter.reads == before)
        handler.resumeReading()
        #expect(counter.reads == before + 1)
        handler.resumeReading()
        #expect(counter.reads == before + 1)
        _ = try channel.finish()
    }
}
