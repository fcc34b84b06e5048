/// What a client asks the daemon of a state directory, one JSON object per line on its control
/// socket.
public enum DaemonRequest: Codable, Sendable, Equatable {
    /// Make the kernel match this state file text (named `source` in messages).
    case apply(text: String, source: String)
    /// The plan `apply` would carry out now, without carrying it out.
    case plan(text: String, source: String)
    /// What the runtime knows: processes, NLB target health, draining targets, counters.
    case status
    /// The whole `lbnet status` report, built by the daemon (the one request the public
    /// status socket answers).
    case report
    /// Answer once the topology is ready (see ``StatusReport/notReady``), or after `timeoutSeconds`
    /// with what is not.
    case awaitReady(timeoutSeconds: Double)
    /// Stop every process and exit.
    case shutdown

    /// Whether the request only reads: what a user without root may ask.
    public var isReadOnly: Bool {
        switch self {
        case .report: true
        default: false
        }
    }
}

/// One line of the daemon's answer; a request's answer ends with `done` or `failed`.
public enum DaemonReply: Codable, Sendable, Equatable {
    /// A step of the plan, printed as it is about to be made (`apply`) or planned (`plan`).
    case change(String)
    /// How many of the plan's `total` steps are made (`apply`, after the steps were listed).
    case progress(done: Int, total: Int)
    /// The runtime's state, for `status` (followed by `done`).
    case status(RuntimeStatus)
    /// The status report, for `report` (followed by `done`).
    case report(StatusReport)
    /// What is not ready yet, for `awaitReady` (followed by `done`); empty when all is ready.
    case readiness(notReady: [NotReady])
    /// The request finished; `count` steps were planned or made.
    case done(count: Int)
    /// The request failed; nothing after the reported steps was made.
    case failed(String)
}
