import Health
import Logging
import NIOCore
import NIOPosix

/// One node of an lbnet Application Load Balancer: an HTTP/1.1 reverse proxy that listens on
/// the configured listeners, routes each request by the listener's rules, and forwards it to
/// a healthy target of the chosen target group over pooled keep-alive connections, with AWS's
/// headers, limits, error pages and access log lines.
public struct ProxyServer: Sendable {
    private let core: ProxyCore
    private let listeners: ProxyListeners
    private let healthChecker: HealthChecker
    private let stopSignal = StopSignal()

    /// Validates `configuration`; nothing listens until ``run()`` or ``start()``.
    public init(
        configuration: ProxyConfiguration,
        logger: Logger,
        accessLog: AccessLogSink = .standardOutput,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(ProxyConfigurationError) {
        try self.init(
            configuration: configuration, logger: logger, accessLog: accessLog, eventLoopGroup: eventLoopGroup,
            healthCheckSecond: .seconds(1)
        )
    }

    /// `healthCheckSecond` stretches or shrinks the health check schedule (tests use short ones).
    init(
        configuration: ProxyConfiguration, logger: Logger, accessLog: AccessLogSink, eventLoopGroup: any EventLoopGroup,
        healthCheckSecond: TimeAmount
    ) throws(ProxyConfigurationError) {
        try configuration.validate()
        core = try ProxyCore(configuration: configuration, logger: logger, accessLog: accessLog)
        listeners = ProxyListeners(core: core, eventLoopGroup: eventLoopGroup)
        healthChecker = HealthChecker(core: core, eventLoop: eventLoopGroup.next(), second: healthCheckSecond)
    }

    /// Listens and serves until the task is cancelled (or ``stop()``), then stops accepting
    /// connections.
    public func run() async throws {
        try await start()
        let stopSignal = self.stopSignal
        await withTaskCancellationHandler {
            await stopSignal.wait()
        } onCancel: {
            stopSignal.raise()
        }
        await stop()
    }

    /// Binds every listener and starts health checks; returns the bound addresses by listener
    /// (`address:port` as configured).
    @discardableResult
    public func start() async throws -> [String: SocketAddress] {
        do {
            try await listeners.update(to: core.snapshot.configuration)
        } catch {
            await listeners.closeAll()
            throw error
        }
        healthChecker.start()
        core.logger.info(
            "ALB node listening",
            metadata: ["lbnet.node": "\(core.snapshot.configuration.nodeName)", "lbnet.listeners": "\(listeners.addresses.values.map(\.hostPort).sorted())"]
        )
        return listeners.addresses
    }

    /// Stops accepting connections and checking targets; connections in progress finish.
    /// Access log lines written so far are in their files and on standard output when it returns.
    public func stop() async {
        stopSignal.raise()
        healthChecker.stop()
        await listeners.closeAll()
        core.closeIdleConnections()
        await core.accessLogFiles.flush()
        await core.accessLog.flush()
    }

    /// Applies a new configuration without dropping requests in flight or open connections:
    /// new requests use the new rules and targets, removed targets drain, new listeners open,
    /// removed listeners stop accepting.
    public func reload(configuration: ProxyConfiguration) async throws {
        try configuration.validate()
        try core.apply(configuration)
        try await listeners.update(to: configuration)
        core.logger.info("ALB node reloaded", metadata: ["lbnet.node": "\(configuration.nodeName)"])
    }

    /// The bound addresses by listener key (`address:port` as configured).
    public var listeningAddresses: [String: SocketAddress] { listeners.addresses }

    /// The health of every target, as `DescribeTargetHealth` would show it.
    public func targetHealth() -> [TargetHealthReport] {
        core.healthTable.reports
    }

    /// The node's counters since it started, with its targets' health.
    public func metricsReport() async throws -> ProxyMetricsReport {
        let configuration = core.snapshot.configuration
        return try await core.metrics.report(nodeName: configuration.nodeName, availabilityZone: configuration.availabilityZone,
                                             targets: targetHealth())
    }
}
