import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request a ``StrictRecordingBackend`` read completely.
struct RecordedRequest: Sendable {
    var head: HTTPRequestHead
    var body: String
}

/// A test-only target on 127.0.0.1 that parses strictly (NIO's llhttp decoder: one framing, no
/// lenience) and records every complete request it read, every parse error and every connection;
/// it answers each request `200` with body `ok <path>`. What it recorded is what a strict origin
/// would have seen of each request the proxy sent on.
struct StrictRecordingBackend: Sendable {
    let channel: Channel
    private let log: BackendLog
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> StrictRecordingBackend {
        let log = BackendLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                log.connected()
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandlers(
                        HTTPResponseEncoder(),
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .fireError)),
                        RecordingHandler(log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return StrictRecordingBackend(channel: channel, log: log)
    }

    var requests: [RecordedRequest] { log.requests }
    var parseErrors: Int { log.errors }
    var connections: Int { log.connectionCount }

    func close() async {
        try? await channel.close()
    }
}

private final class BackendLog: Sendable {
    private let state = Mutex<(requests: [RecordedRequest], errors: Int, connections: Int)>(([], 0, 0))

    func connected() { state.withLock { $0.connections += 1 } }
    func record(_ request: RecordedRequest) { state.withLock { $0.requests.append(request) } }
    func failed() { state.withLock { $0.errors += 1 } }
    var requests: [RecordedRequest] { state.withLock { $0.requests } }
    var errors: Int { state.withLock { $0.errors } }
    var connectionCount: Int { state.withLock { $0.connections } }
}

private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: BackendLog
    private var head: HTTPRequestHead?
    private var body = ""

    init(log: BackendLog) { self.log = log }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
            body = ""
        case .body(let chunk):
            body += String(buffer: chunk)
        case .end:
            guard let head else { return }
            log.record(RecordedRequest(head: head, body: body))
            let text = "ok \(head.uri)"
            let response = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "\(text.utf8.count)"])
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            if head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            self.head = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        log.failed()
        context.close(promise: nil)
    }
}
