import Foundation
import NIOCore
import NIOExtras
import NIOPosix

/// Talks to a running proxy over its control socket: one request, one answer, one connection.
///
/// The exchange runs on a NIO event loop; ``reload()`` and ``report()`` await it, and
/// ``exchange(_:expecting:)`` returns its future for callers that are not async. A proxy that is
/// still starting (no socket yet, or nobody accepting) is waited for up to `socketWait`.
public struct ProxyControlClient: Sendable {
    public let socketPath: String
    /// How long to wait for the answer once connected.
    public let timeout: TimeAmount
    /// How long to keep trying to connect while nothing listens on the socket yet.
    public let socketWait: TimeAmount
    private let eventLoopGroup: any EventLoopGroup

    static let retryInterval: TimeAmount = .milliseconds(50)

    public init(socketPath: String, timeout: TimeAmount = .seconds(10), socketWait: TimeAmount = .zero,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.socketPath = socketPath
        self.timeout = timeout
        self.socketWait = socketWait
        self.eventLoopGroup = eventLoopGroup
    }

    /// Asks the proxy to re-read its file; returns once the new contents serve or were refused.
    public func reload() async throws -> ProxyReloadAnswer {
        try await exchange(.reload, expecting: ProxyReloadAnswer.self).get()
    }

    /// The proxy's served configuration and target health.
    public func report() async throws -> ProxyNodeReport {
        try await exchange(.report, expecting: ProxyNodeReport.self).get()
    }

    /// The proxy's counters and target health.
    public func metrics() async throws -> ProxyMetricsReport {
        try await exchange(.metrics, expecting: ProxyMetricsReport.self).get()
    }

    /// Sends `request` and decodes the one-line answer as `Answer`; fails with a
    /// ``ProxyControlError`` that names the socket and what it waited for.
    public func exchange<Answer: Decodable & Sendable>(_ request: ProxyControlRequest, expecting: Answer.Type) -> EventLoopFuture<Answer> {
        let loop = eventLoopGroup.next()
        do {
            try ProxyControlSocketPath.validate(socketPath)
        } catch {
            return loop.makeFailedFuture(error)
        }
        let socketPath = self.socketPath
        let timeout = self.timeout
        return connect(on: loop, giveUpAt: .now() + socketWait).flatMap { channel in
            let answer = loop.makePromise(of: ByteBuffer.self)
            let timer = loop.scheduleTask(in: timeout) {
                answer.fail(ProxyControlError.timedOut(socket: socketPath, waitingFor: "the answer to \(request.op)",
                                                       seconds: Double(timeout.nanoseconds) / 1e9))
            }
            do {
                try channel.pipeline.syncOperations.addHandlers(
                    ByteToMessageHandler(LineBasedFrameDecoder()),
                    ProxyControlAnswerHandler(answer: answer, socket: socketPath, request: request.op))
            } catch {
                answer.fail(error)
            }
            var line = ByteBuffer(bytes: (try? JSONEncoder().encode(request)) ?? Data())
            line.writeString("\n")
            channel.writeAndFlush(line, promise: nil)
            answer.futureResult.whenComplete { _ in
                timer.cancel()
                channel.close(promise: nil)
            }
            return answer.futureResult.flatMapThrowing { buffer in
                do {
                    return try JSONDecoder().decode(Answer.self, from: Data(buffer.readableBytesView))
                } catch {
                    throw ProxyControlError.invalidAnswer(socket: socketPath, request: request.op,
                                                          reason: "'\(String(buffer: buffer))' (\(error))")
                }
            }
        }
    }

    /// Connects, retrying while the socket does not exist or refuses (a proxy still starting)
    /// until `giveUpAt`.
    private func connect(on loop: any EventLoop, giveUpAt: NIODeadline) -> EventLoopFuture<any Channel> {
        let socketPath = self.socketPath
        return ClientBootstrap(group: loop).connect(unixDomainSocketPath: socketPath).flatMapError { error in
            let code = (error as? IOError)?.errnoCode
            guard code == ENOENT || code == ECONNREFUSED else {
                return loop.makeFailedFuture(ProxyControlError.notListening(socket: socketPath, reason: "\(error)"))
            }
            guard NIODeadline.now() + Self.retryInterval < giveUpAt else {
                let waited = socketWait == .zero ? "" : " (waited \(Double(socketWait.nanoseconds) / 1e9) s for the proxy to start)"
                return loop.makeFailedFuture(ProxyControlError.notListening(socket: socketPath, reason: "\(error)\(waited)"))
            }
            return loop.scheduleTask(in: Self.retryInterval) {}.futureResult.flatMap {
                connect(on: loop, giveUpAt: giveUpAt)
            }
        }
    }
}

/// Takes the first answer line of a control connection; fails the answer if the connection
/// closes or errs before.
private final class ProxyControlAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let answer: EventLoopPromise<ByteBuffer>
    private let socket: String
    private let request: String

    init(answer: EventLoopPromise<ByteBuffer>, socket: String, request: String) {
        self.answer = answer
        self.socket = socket
        self.request = request
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        answer.succeed(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        answer.fail(ProxyControlError.closedWithoutAnswer(socket: socket, request: request))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        answer.fail(error)
        context.close(promise: nil)
    }
}
