/// Work for the runtime's one loop. Requests from clients and events from health checks and
/// drain timers are queued and done one at a time, so a reconcile and a health change never
/// interleave.
enum RuntimeJob: Sendable {
    case apply(text: String, source: String, reply: @Sendable (DaemonReply) async -> Void, done: CheckedContinuation<DaemonReply, Never>)
    case plan(text: String, source: String, reply: @Sendable (DaemonReply) async -> Void, done: CheckedContinuation<DaemonReply, Never>)
    case status(CheckedContinuation<RuntimeStatus, Never>)
    /// Build the status report: `report` or `failed`.
    case report(CheckedContinuation<DaemonReply, Never>)
    case health(HealthEvent)
    case drainDeadline
}
