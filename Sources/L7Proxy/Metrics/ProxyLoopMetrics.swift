import NIOCore

/// The counters of one event loop of a proxy node: connections and client bytes, counted by
/// ``ConnectionMetricsHandler``, and answered requests by target group, counted by the
/// connection handlers. Confined to its event loop: plain integers, no locks, no allocation
/// once a target group has been seen.
final class ProxyLoopMetrics {
    var activeConnections = 0
    var newConnections = 0
    var processedBytes = 0
    /// By target group name; `""` for requests routed to none.
    private(set) var requests: [String: RequestCounts] = [:]

    /// Counts a connection that became active.
    func connectionOpened() {
        activeConnections += 1
        newConnections += 1
    }

    /// Counts the end of a connection ``connectionOpened()`` counted.
    func connectionClosed() {
        activeConnections -= 1
    }

    /// Counts one request that got a response (from the node or from a target).
    func countAnswered(_ record: RequestLogRecord) {
        let seconds: Double? = if let sent = record.sentToTargetAt, let head = record.responseHeadAt {
            Double((head - sent).nanoseconds) / 1_000_000_000
        } else {
            nil
        }
        requests[record.targetGroup ?? "", default: RequestCounts(targetGroup: record.targetGroup)]
            .count(elbStatus: record.elbStatusCode, targetStatus: record.targetStatusCode, responseSeconds: seconds)
    }
}
