import Health
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// The HTTP/2 connections from one event loop to the targets of `HTTP2` target groups: one per
/// target, opened on first use (TLS with ALPN `h2` for HTTPS groups, cleartext with prior
/// knowledge for HTTP ones) and shared by every exchange on the loop, each on a stream of its
/// own. A stream speaks the same HTTP/1-shaped parts as a keep-alive connection (NIOHTTP2's
/// client codec), so an exchange cannot tell them apart; it ends with its response.
/// Confined to its event loop.
final class UpstreamHTTP2Sessions {
    private enum Session {
        case connecting([(Result<HTTP2StreamMultiplexer, UpstreamFailure>) -> Void])
        case ready(Channel, HTTP2StreamMultiplexer)
    }

    let eventLoop: EventLoop
    private let metrics: ProxyLoopMetrics
    private var sessions: [TargetEndpoint.Key: Session] = [:]

    init(eventLoop: EventLoop, metrics: ProxyLoopMetrics) {
        self.eventLoop = eventLoop
        self.metrics = metrics
    }

    /// Calls `completion` on the event loop with a new stream to `target`, over its session.
    func openStream(
        to target: TargetEndpoint.Key, settings: UpstreamPool.Settings,
        completion: @escaping (Result<UpstreamConnection, UpstreamFailure>) -> Void
    ) {
        session(target, settings: settings) { [eventLoop] result in
            switch result {
            case .failure(let failure):
                completion(.failure(failure))
            case .success(let multiplexer):
                let promise = eventLoop.makePromise(of: Channel.self)
                multiplexer.createStreamChannel(promise: promise) { stream in
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandlers(
                            HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: target.tls ? .https : .http),
                            IdleTimeoutHandler(timeout: settings.idleTimeout), UpstreamStreamHandler())
                    }
                }
                promise.futureResult.assumeIsolated().whenComplete { result in
                    switch result {
                    case .success(let stream):
                        do {
                            let handler = try stream.pipeline.syncOperations.handler(type: UpstreamStreamHandler.self)
                            completion(.success(UpstreamConnection(channel: stream, target: target, handler: handler)))
                        } catch {
                            stream.close(promise: nil)
                            completion(.failure(.connectFailed("stream setup failed: \(error)")))
                        }
                    case .failure(let error):
                        completion(.failure(.connectFailed("cannot open an HTTP/2 stream: \(error)")))
                    }
                }
            }
        }
    }

    /// Closes the sessions to targets not in `targets`.
    func close(keeping targets: Set<TargetEndpoint.Key>) {
        for (target, session) in sessions where !targets.contains(target) {
            if case .ready(let channel, _) = session { channel.close(promise: nil) }
        }
    }

    private func session(
        _ target: TargetEndpoint.Key, settings: UpstreamPool.Settings,
        completion: @escaping (Result<HTTP2StreamMultiplexer, UpstreamFailure>) -> Void
    ) {
        switch sessions[target] {
        case .ready(let channel, let multiplexer) where channel.isActive:
            completion(.success(multiplexer))
            return
        case .connecting(let waiting):
            sessions[target] = .connecting(waiting + [completion])
            return
        default:
            sessions[target] = .connecting([completion])
        }
        let metrics = NIOLoopBound(self.metrics, eventLoop: eventLoop)
        ClientBootstrap(group: eventLoop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ConnectionMetricsHandler(metrics: metrics.value, countsBytes: false))
                    if target.tls { try channel.pipeline.syncOperations.addHandler(TargetTLSContext.handler(offering: "h2")) }
                }.flatMap {
                    channel.configureHTTP2Pipeline(mode: .client, inboundStreamInitializer: nil).map { _ in }
                }
            }
            .connect(host: target.address, port: target.port).assumeIsolated().whenComplete { [weak self] result in
                guard let self else { return }
                var waiting: [(Result<HTTP2StreamMultiplexer, UpstreamFailure>) -> Void] = []
                if case .connecting(let list) = self.sessions[target] { waiting = list }
                self.sessions[target] = nil
                let outcome: Result<HTTP2StreamMultiplexer, UpstreamFailure>
                switch result {
                case .success(let channel):
                    if let multiplexer = try? channel.pipeline.syncOperations.handler(type: HTTP2StreamMultiplexer.self) {
                        outcome = .success(multiplexer)
                        self.sessions[target] = .ready(channel, multiplexer)
                        channel.closeFuture.assumeIsolated().whenComplete { _ in self.forget(target, channel: channel) }
                    } else {
                        channel.close(promise: nil)
                        outcome = .failure(.connectFailed("HTTP/2 pipeline setup failed"))
                    }
                case .failure(let error):
                    outcome = .failure(UpstreamPool.classify(error))
                }
                waiting.forEach { $0(outcome) }
            }
    }

    private func forget(_ target: TargetEndpoint.Key, channel: Channel) {
        if case .ready(let current, _) = sessions[target], current === channel { sessions[target] = nil }
    }
}
