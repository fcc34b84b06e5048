import NIOConcurrencyHelpers
import NIOCore
#if canImport(Glibc)
import Glibc
#endif
import NIOHTTP1
import NIOPosix
import Testing

/// A complete HTTP response as a test client received it.
struct ReceivedResponse: Sendable {
    var head: HTTPResponseHead
    var body: String

    var status: HTTPResponseStatus { head.status }
}

/// A client connection to 127.0.0.1 that writes raw request bytes and decodes responses, so
/// tests can send both well-formed and deliberately malformed requests.
struct TestHTTPConnection: Sendable {
    private let channel: Channel
    private let collector: NIOLoopBound<ResponseCollector>

    static func connect(port: Int) async throws -> TestHTTPConnection {
        // The collector is kept as it is made: a server that closes at once empties the pipeline.
        let made = NIOLockedValueBox<NIOLoopBound<ResponseCollector>?>(nil)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let collector = ResponseCollector()
                    made.withLockedValue { $0 = NIOLoopBound(collector, eventLoop: channel.eventLoop) }
                    try channel.pipeline.syncOperations.addHandlers(
                        RawWriteEntry(),
                        ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)),
                        collector
                    )
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let collector = try #require(made.withLockedValue { $0 })
        return TestHTTPConnection(channel: channel, collector: collector)
    }

    private init(channel: Channel, collector: NIOLoopBound<ResponseCollector>) {
        self.channel = channel
        self.collector = collector
    }

    var localAddress: SocketAddress? { channel.localAddress }

    /// Writes `raw` to the socket. The response decoder must know the request method of each
    /// response it parses (a `HEAD` response has no body), so `methods` (by default the first
    /// word of `raw`) are passed through it first as request heads, which go no further.
    func send(_ raw: String, methods: [HTTPMethod]? = nil) async throws {
        try await send(bytes: Array(raw.utf8), methods: methods ?? [HTTPMethod(rawValue: String(raw.prefix { $0 != " " }))])
    }

    /// Writes `bytes` (e.g. a PROXY protocol header before a request) as ``send(_:methods:)`` does.
    func send(bytes: [UInt8], methods: [HTTPMethod]) async throws {
        let channel = self.channel
        try await channel.eventLoop.flatSubmit {
            do {
                for method in methods {
                    let head = HTTPRequestHead(version: .http1_1, method: method, uri: "/")
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                }
                let context = try channel.pipeline.syncOperations.context(handlerType: RawWriteEntry.self)
                return context.writeAndFlush(NIOAny(ByteBuffer(bytes: bytes)))
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }.get()
    }

    /// The next complete response, or nil when the server closed the connection first.
    func response() async throws -> ReceivedResponse? {
        let collector = self.collector
        return try await channel.eventLoop.flatSubmit { collector.value.next() }.get()
    }

    /// Sends `raw` and waits for its response.
    func exchange(_ raw: String) async throws -> ReceivedResponse? {
        try await send(raw)
        return try await response()
    }

    /// Closes the connection with a reset (SO_LINGER 0), as a client that gives up does.
    func reset() async {
        try? await (channel as? SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        try? await channel.close()
    }

    /// Shuts the client's write side (a TCP half-close); responses can still arrive.
    func shutdownWrite() async throws {
        try await channel.close(mode: .output)
    }

    /// Every response until the server closes the connection (at most `limit`).
    func responsesUntilClosed(limit: Int = 10) async throws -> [ReceivedResponse] {
        var all: [ReceivedResponse] = []
        while all.count < limit, let next = try await response() { all.append(next) }
        return all
    }

    func close() async {
        try? await channel.close()
    }

    /// Whether the connection is still open (the server has not closed it).
    var isOpen: Bool { channel.isActive }
}

/// Marks the spot next to the socket where raw bytes are written, and drops the request heads
/// that only tell the response decoder what was asked.
private final class RawWriteEntry: ChannelOutboundHandler {
    typealias OutboundIn = HTTPClientRequestPart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        promise?.succeed()
    }
}

/// Assembles decoded response parts into ``ReceivedResponse`` values and hands them out in order.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private var received: [ReceivedResponse] = []
    private var waiting: [EventLoopPromise<ReceivedResponse?>] = []
    private var closed = false
    private var eventLoop: EventLoop?

    func handlerAdded(context: ChannelHandlerContext) {
        eventLoop = context.eventLoop
    }

    func next() -> EventLoopFuture<ReceivedResponse?> {
        let eventLoop = self.eventLoop!
        if !received.isEmpty { return eventLoop.makeSucceededFuture(received.removeFirst()) }
        if closed { return eventLoop.makeSucceededFuture(nil) }
        let promise = eventLoop.makePromise(of: ReceivedResponse?.self)
        waiting.append(promise)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received): head = received
        case .body(var chunk): body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            deliver(ReceivedResponse(head: head, body: String(buffer: body)))
            self.head = nil
            body.clear()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        for promise in waiting { promise.succeed(nil) }
        waiting.removeAll()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func deliver(_ response: ReceivedResponse) {
        if waiting.isEmpty {
            received.append(response)
        } else {
            waiting.removeFirst().succeed(response)
        }
    }
}

/// Builds a raw HTTP/1.1 request.
func rawRequest(
    _ method: String = "GET", _ target: String = "/", host: String? = "test.local",
    headers: [(String, String)] = [], body: String? = nil, version: String = "HTTP/1.1"
) -> String {
    var lines = ["\(method) \(target) \(version)"]
    if let host { lines.append("Host: \(host)") }
    lines += headers.map { "\($0.0): \($0.1)" }
    if let body { lines.append("Content-Length: \(body.utf8.count)") }
    return lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")
}
