import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP health check of one target, as an ALB node sends it: `GET <path>` on a new
/// connection with `Host: <ip>:<port>` and `User-Agent: ELB-HealthChecker/2.0`, judged by the
/// status code alone within the timeout.
enum HealthProbe {
    /// The port a check goes to: the target's own for `traffic-port`.
    static func port(of target: TargetEndpoint, healthCheck: HealthCheckConfiguration) -> Int {
        Int(healthCheck.port) ?? target.port
    }

    /// The request a check sends.
    static func request(for target: TargetEndpoint, healthCheck: HealthCheckConfiguration) -> HTTPRequestHead {
        let port = port(of: target, healthCheck: healthCheck)
        let host = TargetEndpoint.Key(address: target.address, port: port).description
        return HTTPRequestHead(
            version: .http1_1, method: .GET, uri: healthCheck.path,
            headers: ["Host": host, "User-Agent": "ELB-HealthChecker/2.0", "Accept": "*/*", "Connection": "close"]
        )
    }

    /// Checks `target` and completes with the result; never fails.
    static func check(
        _ target: TargetEndpoint, healthCheck: HealthCheckConfiguration, timeout: TimeAmount, on eventLoop: EventLoop
    ) -> EventLoopFuture<TargetHealth.CheckResult> {
        let promise = eventLoop.makePromise(of: TargetHealth.CheckResult.self)
        let matcher = HTTPCodeMatcher(healthCheck.matcher) ?? HTTPCodeMatcher("200")!
        let request = request(for: target, healthCheck: healthCheck)
        let deadline = eventLoop.scheduleTask(in: timeout) { promise.succeed(.timeout) }
        promise.futureResult.whenComplete { _ in deadline.cancel() }

        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HealthProbeHandler(matcher: matcher, promise: promise))
                }
            }
            .connect(host: target.address, port: port(of: target, healthCheck: healthCheck))
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                    channel.writeAndFlush(HTTPClientRequestPart.head(request), promise: nil)
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                case .failure(let error):
                    if case ChannelError.connectTimeout = error {
                        promise.succeed(.timeout)
                    } else {
                        promise.succeed(.failed(describe(error)))
                    }
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

/// Completes a probe's promise from the response status, or with a failure when the
/// connection ends first.
private final class HealthProbeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let matcher: HTTPCodeMatcher
    private let promise: EventLoopPromise<TargetHealth.CheckResult>

    init(matcher: HTTPCodeMatcher, promise: EventLoopPromise<TargetHealth.CheckResult>) {
        self.matcher = matcher
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let code = Int(head.status.code)
        promise.succeed(matcher.matches(code) ? .success(statusCode: code) : .responseCodeMismatch(statusCode: code))
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.succeed(.failed("invalid response: \(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.succeed(.failed("connection closed without a response"))
        context.fireChannelInactive()
    }
}
