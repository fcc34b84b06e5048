import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One health check of one target, as an ELB node sends it (after the settings' preamble, if
/// any): a TCP connect, or `GET <path>` on
/// a new connection (over TLS for HTTPS checks, the target's certificate not verified) with `Host: <ip>:<port>` and `User-Agent: ELB-HealthChecker/2.0`, judged
/// by the status code alone; either within the timeout.
///
/// The connection is made on `eventLoop`'s thread (NIO creates a client socket on the thread
/// that calls `connect`), so a loop whose thread entered a network namespace probes from there.
public enum HealthProbe {
    public static let userAgent = "ELB-HealthChecker/2.0"

    /// The request an HTTP check of `address` on `port` sends.
    public static func request(address: String, port: Int, path: String) -> HTTPRequestHead {
        HTTPRequestHead(
            version: .http1_1, method: .GET, uri: path,
            headers: ["Host": "\(address):\(port)", "User-Agent": userAgent, "Accept": "*/*", "Connection": "close"])
    }

    /// Checks the target at `address` whose traffic port is `trafficPort` as `settings` say,
    /// within `timeout` (default: the settings' timeout); completes with the result, never fails.
    public static func check(
        address: String, trafficPort: Int, settings: HealthCheckSettings, timeout: TimeAmount? = nil,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<TargetHealth.CheckResult> {
        let port = settings.port.resolved(trafficPort: trafficPort)
        let timeout = timeout ?? settings.timeout()
        let target: SocketAddress
        do {
            target = try SocketAddress(ipAddress: address, port: port)
        } catch {
            return eventLoop.makeSucceededFuture(.failed("\(address) is not an IP address: \(error)"))
        }
        let exchange: Exchange
        switch settings.protocol {
        case .tcp:
            exchange = .connectOnly
        case .http, .https:
            exchange = .http(request(address: address, port: port, path: settings.path), settings.matcher,
                             overTLS: settings.protocol == .https)
        }
        let preamble = settings.preamble
        return eventLoop.flatSubmit { connect(to: target, preamble: preamble, exchange: exchange, timeout: timeout, on: eventLoop) }
    }

    /// What happens on a connection once it is up.
    private enum Exchange {
        case connectOnly
        case http(HTTPRequestHead, HTTPCodeMatcher, overTLS: Bool)
    }

    /// Runs on `eventLoop`, so the socket is created on its thread.
    private static func connect(
        to target: SocketAddress, preamble: [UInt8], exchange: Exchange, timeout: TimeAmount, on eventLoop: any EventLoop
    ) -> EventLoopFuture<TargetHealth.CheckResult> {
        let promise = eventLoop.makePromise(of: TargetHealth.CheckResult.self)
        let deadline = eventLoop.scheduleTask(in: timeout) { promise.succeed(.timeout) }
        promise.futureResult.whenComplete { _ in deadline.cancel() }

        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard case .http(_, let matcher, let overTLS) = exchange else { return }
                    if !preamble.isEmpty { try channel.pipeline.syncOperations.addHandler(ConnectionPreamble(preamble)) }
                    if overTLS { try channel.pipeline.syncOperations.addHandler(TargetTLSContext.handler()) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HealthProbeHandler(matcher: matcher, promise: promise))
                }
            }
            .connect(to: target)
            .whenComplete { result in
                switch (result, exchange) {
                case (.success(let channel), .connectOnly):
                    promise.succeed(.success(statusCode: nil))
                    guard !preamble.isEmpty else { return channel.close(promise: nil) }
                    channel.writeAndFlush(channel.allocator.buffer(bytes: preamble)).whenComplete { _ in channel.close(promise: nil) }
                case (.success(let channel), .http(let request, _, _)):
                    promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                    channel.write(HTTPClientRequestPart.head(request), promise: nil)
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                case (.failure(ChannelError.connectTimeout), _):
                    promise.succeed(.timeout)
                case (.failure(let error), _):
                    promise.succeed(.failed(describe(error)))
                }
            }
        return promise.futureResult
    }

    private static func describe(_ error: any Error) -> String {
        if let connectionError = error as? NIOConnectionError, let first = connectionError.connectionErrors.first {
            return "\(first.error)"
        }
        return "\(error)"
    }
}
