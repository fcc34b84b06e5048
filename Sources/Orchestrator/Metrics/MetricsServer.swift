import AWSAPI
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The daemon's Prometheus endpoint: an HTTP/1.1 server answering `GET /metrics` with the
/// collector's exposition. Where it listens is the daemon's `metrics` endpoint in `lbnet
/// status` (`http://HOST:PORT/metrics`, or `off`); when its address cannot be bound it says so
/// there and in the log, and waits for shutdown: the daemon keeps running without it.
public struct MetricsServer: Service {
    let address: MetricsListenAddress
    let collector: MetricsCollector
    let endpoints: DaemonEndpoints
    let group: any EventLoopGroup
    let logger: Logger

    public init(address: MetricsListenAddress, collector: MetricsCollector, endpoints: DaemonEndpoints,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.address = address
        self.collector = collector
        self.endpoints = endpoints
        self.group = group
        self.logger = logger
    }

    /// The endpoint's name in the daemon's status.
    public static let name = "metrics"

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    public func run() async throws {
        guard case .listen(let host, let port) = address else {
            endpoints.set(Self.name, "off")
            try? await gracefulShutdown()
            return
        }
        let server: NIOAsyncChannel<Connection, Never>
        do {
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            endpoints.set(Self.name, "not listening on \(host):\(port): \(error)")
            logger.error("metrics endpoint unavailable: cannot listen; the daemon runs on without it",
                         metadata: ["address": "\(host):\(port)", "error": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        let bound = server.channel.localAddress.flatMap(\.port) ?? port
        endpoints.set(Self.name, "http://\(host):\(bound)/metrics")
        logger.info("metrics endpoint listening", metadata: ["url": "http://\(host):\(bound)/metrics"])
        try await server.serveConnectionsUntilShutdown { await serve($0) }
    }

    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var request: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let head): request = head
                    case .body: break
                    case .end:
                        guard let head = request else { continue }
                        let (status, body) = await answer(head)
                        var headers = HTTPHeaders()
                        headers.add(name: "Content-Type", value: status == .ok ? MetricsExposition.contentType : "text/plain; charset=utf-8")
                        headers.add(name: "Content-Length", value: String(body.utf8.count))
                        try await outbound.write(.head(HTTPResponseHead(version: head.version, status: status, headers: headers)))
                        if head.method != .HEAD { try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body)))) }
                        try await outbound.write(.end(nil))
                        request = nil
                    }
                }
            }
        } catch {
            logger.debug("metrics connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func answer(_ head: HTTPRequestHead) async -> (HTTPResponseStatus, String) {
        guard head.uri.split(separator: "?", maxSplits: 1).first == "/metrics" else {
            return (.notFound, "lbnet serves its metrics at /metrics\n")
        }
        guard head.method == .GET || head.method == .HEAD else { return (.methodNotAllowed, "use GET\n") }
        return (.ok, await collector.exposition())
    }
}
