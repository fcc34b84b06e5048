/// What one `ProcessSupervisor.apply` did, by process name (sorted).
public struct ProcessChanges: Sendable, Equatable {
    /// Processes that were not supervised before.
    public var started: [String] = []
    /// Processes no longer wanted, now stopped.
    public var stopped: [String] = []
    /// Processes whose spec changed: stopped, then started with the new one.
    public var restarted: [String] = []

    public init(started: [String] = [], stopped: [String] = [], restarted: [String] = []) {
        self.started = started
        self.stopped = stopped
        self.restarted = restarted
    }

    public var isEmpty: Bool { started.isEmpty && stopped.isEmpty && restarted.isEmpty }
}
