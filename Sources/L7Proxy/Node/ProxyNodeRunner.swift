import Foundation
import Logging

/// Runs one ALB node (`lbnet proxy --config FILE --control PATH`): serves the configuration
/// file with a `ProxyServer`, and reloads it only when told to over the control socket
/// (``ProxyControlServer``); in-flight requests and keep-alive connections carry on. A file that
/// does not load is refused: the node keeps serving the previous one and answers why.
public struct ProxyNodeRunner: Sendable {
    public let configurationPath: String
    /// The control socket; `nil` serves the file as read at start, with no way to reload it.
    public let controlSocketPath: String?
    private let logger: Logger
    private let accessLog: AccessLogSink

    public init(configurationPath: String, controlSocketPath: String?, logger: Logger,
                accessLog: AccessLogSink = .standardOutput) {
        self.configurationPath = configurationPath
        self.controlSocketPath = controlSocketPath
        self.logger = logger
        self.accessLog = accessLog
    }

    /// Serves until the task is cancelled, then stops accepting connections, removes the
    /// control socket and returns. Throws when the first configuration cannot be loaded or
    /// served, or the control socket cannot be bound.
    public func run() async throws {
        if let controlSocketPath { try ProxyControlSocketPath.validate(controlSocketPath) }
        let node = try await ProxyNode.start(configurationPath: configurationPath, logger: logger, accessLog: accessLog)
        do {
            if let controlSocketPath {
                try await ProxyControlServer(path: controlSocketPath, node: node, logger: logger).run()
            } else {
                await Self.untilCancelled()
            }
        } catch {
            await node.stop()
            if Task.isCancelled { return }  // the socket's accept loop ends with the task
            throw error
        }
        await node.stop()
    }

    private static func untilCancelled() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Never.self)
        await withTaskCancellationHandler {
            for await _ in stream {}
        } onCancel: {
            continuation.finish()
        }
    }
}
