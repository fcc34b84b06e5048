import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The AWS API endpoint: HTTP/1.1 on one address (loopback unless the user names another),
/// whole requests of at most 1 MiB handed to the ``APIRequestProcessor``, keep-alive.
public struct APIServer: Service {
    let host: String
    let port: Int
    let processor: APIRequestProcessor
    let group: any EventLoopGroup
    let logger: Logger
    /// Called once bound, with the address clients reach (the real port when `port` is 0).
    let onListening: @Sendable (SocketAddress) -> Void

    public init(host: String, port: Int, processor: APIRequestProcessor, group: any EventLoopGroup, logger: Logger,
                onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }) {
        self.host = host
        self.port = port
        self.processor = processor
        self.group = group
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(NIOHTTPServerRequestAggregator(maxContentLength: 1 << 20))
                    return try NIOAsyncChannel<NIOHTTPServerRequestFull, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        if let address = server.channel.localAddress { onListening(address) }
        logger.info("AWS API listening", metadata: ["address": "\(server.channel.localAddress.map { "\($0)" } ?? "?")"])
        try await server.serveConnectionsUntilShutdown { connection in await serve(connection) }
    }

    private func serve(_ connection: NIOAsyncChannel<NIOHTTPServerRequestFull, HTTPServerResponsePart>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await request in inbound {
                    let body = request.body.map { Array($0.readableBytesView) } ?? []
                    let (path, _, query) = request.head.uri.partition("?")
                    let signed = SignedRequest(method: request.head.method.rawValue, path: path, query: query,
                                               headers: request.head.headers.map { ($0.name, $0.value) }, body: body)
                    let (status, xml) = await processor.process(signed)
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: "text/xml")
                    headers.add(name: "Content-Length", value: String(xml.utf8.count))
                    let head = HTTPResponseHead(version: request.head.version, status: HTTPResponseStatus(statusCode: status),
                                                headers: headers)
                    try await outbound.write(contentsOf: [
                        .head(head), .body(.byteBuffer(ByteBuffer(string: xml))), .end(nil),
                    ])
                    if !request.head.isKeepAlive { return }
                }
            }
        } catch {
            logger.debug("API connection ended", metadata: ["error": "\(error)"])
        }
    }
}

extension String {
    /// The text before and after the first `separator` (all of it and nothing when absent).
    func partition(_ separator: Character) -> (String, Character?, String) {
        guard let index = firstIndex(of: separator) else { return (self, nil, "") }
        return (String(self[..<index]), separator, String(self[self.index(after: index)...]))
    }
}
