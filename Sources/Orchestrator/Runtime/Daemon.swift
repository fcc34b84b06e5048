import Logging
import NIOPosix
import ServiceLifecycle

/// `lbnet daemon`: the one long-running process of a state directory. A `ServiceGroup` of the
/// process supervisor, the runtime (reconciles, NLB health, draining), the control socket, the
/// status socket any user may read, the AWS API endpoint and the Prometheus metrics endpoint
/// (and, through the runtime, the DNS answerer of load balancer names);
/// SIGTERM, SIGINT or a client's `shutdown` stop them in reverse order, the supervisor's
/// children last.
public struct Daemon {
    let deployment: Deployment
    let api: APIOptions
    let logger: Logger
    let metricsListen: MetricsListenAddress

    public init(deployment: Deployment, api: APIOptions, logger: Logger, metricsListen: MetricsListenAddress = .default) {
        self.deployment = deployment
        self.api = api
        self.logger = logger
        self.metricsListen = metricsListen
    }

    /// Runs until shut down. Returns at once, saying so, when another daemon owns the directory.
    public func run() async throws {
        guard let lock = try DaemonLock(directory: deployment.directory) else {
            logger.notice("another lbnet daemon owns this state directory", metadata: ["state_dir": "\(deployment.directory.path)"])
            return
        }
        let kernel = KernelWorker()
        let supervisor = try ProcessSupervisor(directory: deployment.directory, logger: logger)
        let monitor = HealthMonitor(loops: NamespaceEventLoops(), logger: logger)
        let endpoints = DaemonEndpoints()
        let dns = DNSAnswerer(logger: logger)
        let runtime = Runtime(deployment: deployment, supervisor: supervisor, monitor: monitor, kernel: kernel, endpoints: endpoints,
                              dns: dns, logger: logger)
        let deployment = self.deployment
        let editor = DesiredStateEditor(
            applied: { try? deployment.appliedModel() },
            elasticIPs: { (try? deployment.directory.loadElasticIPs()) ?? ElasticIPRecord() }, logger: logger,
            apply: { text in await runtime.handle(.apply(text: text, source: DesiredStateEditor.source)) { _ in } })
        let backend = LBNetAPIBackend(creationTimes: try APICreationTimes(directory: deployment.directory),
                                      report: { await runtime.report() }, editor: editor,
                                      tags: try APITagStore(directory: deployment.directory))
        let apiEndpoint = APIEndpoint(options: api, deployment: deployment, backend: backend, endpoints: endpoints, logger: logger)
        let (shutdownRequests, requestShutdown) = AsyncStream.makeStream(of: Void.self)
        let control = ControlServer(socketPath: deployment.directory.daemonSocketPath, group: MultiThreadedEventLoopGroup.singleton,
                                    logger: logger) { request, reply in
            guard case .shutdown = request else { return await runtime.handle(request, reply: reply) }
            requestShutdown.yield()
            return .done(count: 0)
        }
        let status = ControlServer(socketPath: deployment.directory.statusSocketPath, permissions: 0o666,
                                   group: MultiThreadedEventLoopGroup.singleton, logger: logger) { request, reply in
            guard request.isReadOnly else {
                return .failed("the status socket only answers status requests; changing anything needs root (sudo)")
            }
            return await runtime.handle(request, reply: reply)
        }
        let collector = MetricsCollector(deployment: deployment, monitor: monitor, logger: logger)
        let metrics = MetricsServer(address: metricsListen, collector: collector, endpoints: endpoints, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: supervisor), .init(service: runtime), .init(service: control), .init(service: status),
                       .init(service: apiEndpoint), .init(service: metrics)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("lbnet daemon started", metadata: ["state_dir": "\(deployment.directory.path)", "prefix": "\(deployment.naming.prefix)"])
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                for await _ in shutdownRequests {
                    await group.triggerGracefulShutdown()
                    return
                }
            }
            try await group.run()
            requestShutdown.finish()
        }
        await monitor.shutdown()
        await dns.shutdown()
        try await collector.shutdown()
        try await kernel.shutdown()
        _ = consume lock
        logger.info("lbnet daemon stopped")
    }
}
