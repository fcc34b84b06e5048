import Health
import NIOCore
import NIOHTTP1
import NIOPosix

/// The keep-alive connections from one event loop to targets: exchanges on that loop borrow a
/// parked connection to their target or open a new one, and give it back when the response is
/// complete; exchanges to the targets of `HTTP2` groups get a stream of the loop's HTTP/2
/// connection to the target instead (``UpstreamHTTP2Sessions``). Confined to its event loop.
final class UpstreamPool {
    /// Timeouts and limits for upstream connections.
    struct Settings {
        var connectTimeout: TimeAmount
        var idleTimeout: TimeAmount
        /// Parked connections kept per target; more are closed. Enough for a burst of a thousand
        /// concurrent requests to one target to find its connections again (64 made each request
        /// beyond them connect and close anew); the idle timeout closes what stays unused.
        var maxIdlePerTarget = Settings.defaultMaxIdlePerTarget

        static let defaultMaxIdlePerTarget = 1024
    }

    let eventLoop: EventLoop
    /// The loop's counters: connections to targets count as connections of the node.
    private let metrics: ProxyLoopMetrics
    private var idle: [TargetEndpoint.Key: ParkedConnections] = [:]
    private var maxIdlePerTarget = Settings.defaultMaxIdlePerTarget
    private let http2: UpstreamHTTP2Sessions

    init(eventLoop: EventLoop, metrics: ProxyLoopMetrics) {
        self.eventLoop = eventLoop
        self.metrics = metrics
        http2 = UpstreamHTTP2Sessions(eventLoop: eventLoop, metrics: metrics)
    }

    /// Calls `completion` on the event loop with a parked connection to `target`, or a new one.
    func acquire(
        _ target: TargetEndpoint.Key, settings: Settings,
        completion: @escaping (Result<UpstreamConnection, UpstreamFailure>) -> Void
    ) {
        if target.http2 {
            http2.openStream(to: target, settings: settings, completion: completion)
            return
        }
        if let connection = parkedConnection(to: target, settings: settings) {
            completion(.success(connection))
            return
        }
        connect(target, settings: settings, completion: completion)
    }

    /// A parked connection to `target` that can carry another request, taken from the pool;
    /// nil when none is (and always for the targets of `HTTP2` groups). What most requests
    /// get, without ``acquire(_:settings:completion:)``'s callback.
    func parkedConnection(to target: TargetEndpoint.Key, settings: Settings) -> UpstreamConnection? {
        guard !target.http2 else { return nil }
        maxIdlePerTarget = settings.maxIdlePerTarget
        guard let parked = idle[target] else { return nil }
        while let connection = parked.connections.popLast() {
            if connection.isReusable { return connection }
            connection.close()
        }
        return nil
    }

    /// Parks `connection` for reuse when it can carry another request; closes it otherwise.
    func release(_ connection: UpstreamConnection) {
        connection.receiver = nil
        connection.resumeReading()
        let parked = idle[connection.target]
        guard connection.isReusable, (parked?.connections.count ?? 0) < maxIdlePerTarget else {
            connection.close()
            return
        }
        if let parked {
            parked.connections.append(connection)
        } else {
            let first = ParkedConnections()
            first.connections.append(connection)
            idle[connection.target] = first
        }
    }

    /// Closes parked connections to targets not in `targets`.
    func closeIdle(keeping targets: Set<TargetEndpoint.Key>) {
        http2.close(keeping: targets)
        for (target, parked) in idle where !targets.contains(target) {
            parked.connections.forEach { $0.close() }
            idle[target] = nil
        }
    }

    /// Closes every parked connection.
    func closeAll() {
        closeIdle(keeping: [])
    }

    private func connect(
        _ target: TargetEndpoint.Key, settings: Settings,
        completion: @escaping (Result<UpstreamConnection, UpstreamFailure>) -> Void
    ) {
        let idleTimeout = settings.idleTimeout
        let metrics = NIOLoopBound(self.metrics, eventLoop: eventLoop)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if target.tls { try channel.pipeline.syncOperations.addHandler(TargetTLSContext.handler()) }
                    try channel.pipeline.syncOperations.addHandler(HTTP1UpstreamHandler(idleTimeout: idleTimeout, metrics: metrics.value))
                }
            }
        bootstrap.connect(host: target.address, port: target.port).assumeIsolated().whenComplete { [weak self] result in
            switch result {
            case .success(let channel):
                do {
                    let handler = try channel.pipeline.syncOperations.handler(type: HTTP1UpstreamHandler.self)
                    let connection = UpstreamConnection(channel: channel, target: target, handler: handler)
                    channel.closeFuture.assumeIsolated().whenComplete { _ in self?.forget(connection) }
                    completion(.success(connection))
                } catch {
                    channel.close(promise: nil)
                    completion(.failure(.connectFailed("pipeline setup failed: \(error)")))
                }
            case .failure(let error):
                completion(.failure(Self.classify(error)))
            }
        }
    }

    private func forget(_ connection: UpstreamConnection) {
        guard let parked = idle[connection.target] else { return }
        parked.connections.removeAll { $0 === connection }
        if parked.connections.isEmpty { idle[connection.target] = nil }
    }

    static func classify(_ error: any Error) -> UpstreamFailure {
        if case ChannelError.connectTimeout = error { return .connectTimeout }
        if let connectionError = error as? NIOConnectionError,
            connectionError.connectionErrors.contains(where: { if case ChannelError.connectTimeout = $0.error { true } else { false } })
        {
            return .connectTimeout
        }
        return .connectFailed("\(error)")
    }
}
