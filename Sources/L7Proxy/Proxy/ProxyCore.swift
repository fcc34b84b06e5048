import Health
import Logging
import NIOCore
import Synchronization

/// The state every connection of one proxy node shares: the routing snapshot of the current
/// configuration, load-balancing state, and the per-event-loop upstream pools. Thread-safe.
final class ProxyCore: Sendable {
    /// One configuration, compiled; replaced whole on reload, so a request sees one version.
    /// A class: each request takes the current one, and a reference is one retain where a copy
    /// of its fields would be dozens.
    final class Snapshot: Sendable {
        let configuration: ProxyConfiguration
        /// By listener key (``ListenerKey``).
        let routers: [String: ListenerRouter]
        /// The TLS contexts of HTTPS and TLS listeners, by listener key.
        let tls: [String: ListenerTLS]
        /// Where TLS and TCP listeners relay their connections, by listener key.
        let relays: [String: RelayConfiguration]
        let accessLogNaming: AccessLogNaming
        /// The cookie stickiness of the groups that have it; empty when none does.
        let stickiness: [String: TargetStickiness]
        /// The groups whose targets get HTTP/2 (`ProtocolVersion` `HTTP2`).
        let http2Groups: Set<String>

        init(_ configuration: ProxyConfiguration) throws(ProxyConfigurationError) {
            self.configuration = configuration
            accessLogNaming = AccessLogNaming(configuration)
            stickiness = Dictionary(uniqueKeysWithValues: configuration.targetGroups.compactMap { group in
                group.stickiness.map { (group.name, $0) }
            })
            http2Groups = Set(configuration.targetGroups.filter { $0.protocolVersion == .http2 }.map(\.name))
            var routers: [String: ListenerRouter] = [:]
            var tls: [String: ListenerTLS] = [:]
            var relays: [String: RelayConfiguration] = [:]
            for listener in configuration.listeners {
                let key = ListenerKey.of(listener)
                if listener.protocol.terminatesTLS {
                    tls[key] = try ListenerTLS.make(listener, certificates: configuration.certificates)
                }
                if let relay = listener.relay {
                    relays[key] = relay
                } else {
                    routers[key] = ListenerRouter(listener)
                }
            }
            self.routers = routers
            self.tls = tls
            self.relays = relays
        }

        var upstreamSettings: UpstreamPool.Settings {
            UpstreamPool.Settings(
                connectTimeout: .seconds(Int64(configuration.connectTimeoutSeconds)),
                idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds))
            )
        }
    }

    let logger: Logger
    let accessLog: AccessLogSink
    /// The access log files, when the configuration has `accessLog`.
    let accessLogFiles: AccessLogFiles
    /// The node's connection, byte and request counters.
    let metrics = ProxyMetrics()
    private let current: Mutex<Snapshot>
    private let balancing: Mutex<LoadBalancingState>
    private let pools = Mutex<[ObjectIdentifier: NIOLoopBound<UpstreamPool>]>([:])

    init(configuration: ProxyConfiguration, logger: Logger, accessLog: AccessLogSink) throws(ProxyConfigurationError) {
        self.logger = logger
        self.accessLog = accessLog
        accessLogFiles = AccessLogFiles(logger: logger)
        accessLogFiles.configure(configuration)
        current = Mutex(try Snapshot(configuration))
        var state = LoadBalancingState(nodeZone: configuration.availabilityZone)
        state.apply(configuration, now: .now())
        balancing = Mutex(state)
    }

    var snapshot: Snapshot { current.withLock { $0 } }

    /// Switches to `configuration`: requests that already started keep the old routing.
    func apply(_ configuration: ProxyConfiguration) throws(ProxyConfigurationError) {
        let snapshot = try Snapshot(configuration)
        current.withLock { $0 = snapshot }
        accessLogFiles.configure(configuration)
        balancing.withLock { $0.apply(configuration, now: .now()) }
        let keep = Set(configuration.targetGroups.flatMap { group in group.targets.map { TargetEndpoint($0, in: group).key } })
        for pool in pools.withLock({ Array($0.values) }) {
            pool.eventLoop.execute { pool.value.closeIdle(keeping: keep) }
        }
    }

    /// Writes the access log line of a finished exchange: to the sink, and to the access log
    /// files when they are configured.
    func log(_ record: RequestLogRecord) {
        let entry = record.entry(naming: snapshot.accessLogNaming)
        accessLogFiles.write(entry)
        accessLog.write(entry)
    }

    func select(group: String, preferring: String? = nil) -> LoadBalancingState.Selection {
        balancing.withLock { $0.select(group: group, preferring: preferring) }
    }

    func finish(group: String, target: TargetEndpoint.Key) {
        balancing.withLock { $0.finish(group: group, target: target) }
    }

    func record(_ result: TargetHealth.CheckResult, group: String, target: TargetEndpoint.Key) {
        balancing.withLock { $0.record(result, group: group, target: target) }
    }

    func expireDraining() {
        balancing.withLock { $0.expireDraining(now: .now()) }
    }

    var healthTable: TargetHealthTable { balancing.withLock { $0.health } }

    /// The upstream pool of `eventLoop`; call on that loop.
    func pool(for eventLoop: EventLoop) -> UpstreamPool {
        let id = ObjectIdentifier(eventLoop)
        let bound = pools.withLock { pools in
            if let existing = pools[id] { return existing }
            let created = NIOLoopBound(UpstreamPool(eventLoop: eventLoop, metrics: metrics.counters(for: eventLoop)), eventLoop: eventLoop)
            pools[id] = created
            return created
        }
        return bound.value
    }

    /// Closes every parked upstream connection.
    func closeIdleConnections() {
        for pool in pools.withLock({ Array($0.values) }) {
            pool.eventLoop.execute { pool.value.closeAll() }
        }
    }
}

/// Names a configured listener independently of the port the socket got: `address:port`.
enum ListenerKey {
    static func of(_ listener: ListenerConfiguration) -> String {
        "\(listener.address):\(listener.port)"
    }
}
