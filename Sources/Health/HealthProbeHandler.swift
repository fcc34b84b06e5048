import NIOCore
import NIOHTTP1

/// Completes an HTTP health check's promise from the response status, or with a failure when
/// the connection ends first. Later completions of the promise are no-ops.
final class HealthProbeHandler: ChannelInboundHandler {
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
