import NIOCore
import Synchronization

/// The counters of a proxy node, one ``ProxyLoopMetrics`` per event loop: the hot path only
/// touches its own loop's, and a report sums them on their loops.
final class ProxyMetrics: Sendable {
    private let loops = Mutex<[ObjectIdentifier: NIOLoopBound<ProxyLoopMetrics>]>([:])

    init() {}

    /// The counters of `eventLoop`; call on that loop (once per connection).
    func counters(for eventLoop: any EventLoop) -> ProxyLoopMetrics {
        let id = ObjectIdentifier(eventLoop)
        return loops.withLock { loops in
            if let existing = loops[id] { return existing }
            let created = NIOLoopBound(ProxyLoopMetrics(), eventLoop: eventLoop)
            loops[id] = created
            return created
        }.value
    }

    /// Every loop's counters, read on its loop and summed.
    func report(nodeName: String, availabilityZone: String, targets: [TargetHealthReport]) async throws -> ProxyMetricsReport {
        var report = ProxyMetricsReport(nodeName: nodeName, availabilityZone: availabilityZone, targets: targets)
        var requests: [String: RequestCounts] = [:]
        for bound in loops.withLock({ Array($0.values) }) {
            let loop = try await bound.eventLoop.submit {
                (bound.value.activeConnections, bound.value.newConnections, bound.value.processedBytes, bound.value.requests)
            }.get()
            report.activeConnections += loop.0
            report.newConnections += loop.1
            report.processedBytes += loop.2
            for (group, counts) in loop.3 { requests[group, default: RequestCounts(targetGroup: counts.targetGroup)].add(counts) }
        }
        report.requests = requests.keys.sorted().compactMap { requests[$0] }
        return report
    }
}
