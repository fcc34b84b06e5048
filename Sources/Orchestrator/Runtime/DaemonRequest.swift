/// What a client asks the daemon of a state directory, one JSON object per line on its control
/// socket.
public enum DaemonRequest: Codable, Sendable, Equatable {
    /// Make the kernel match this state file text (named `source` in messages).
    case apply(text: String, source: String)
    /// The plan `apply` would carry out now, without carrying it out.
    case plan(text: String, source: String)
    /// What the runtime knows: processes, NLB target health, draining targets, counters.
    case status
    /// Stop every process and exit.
    case shutdown
}

/// One line of the daemon's answer; a request's answer ends with `done` or `failed`.
public enum DaemonReply: Codable, Sendable, Equatable {
    /// A step of the plan, printed as it is about to be made (`apply`) or planned (`plan`).
    case change(String)
    /// The runtime's state, for `status` (followed by `done`).
    case status(RuntimeStatus)
    /// The request finished; `count` steps were planned or made.
    case done(count: Int)
    /// The request failed; nothing after the reported steps was made.
    case failed(String)
}
