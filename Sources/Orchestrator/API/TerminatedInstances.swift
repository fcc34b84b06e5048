import Synchronization

/// The instances `TerminateInstances` removed, which EC2 keeps describing as `terminated` for
/// about an hour (terraform's destroy waits for that state: a missing instance does not count).
/// Kept in memory: a daemon restart forgets them, and `DescribeInstances` then answers
/// `InvalidInstanceID.NotFound` for them.
final class TerminatedInstances: Sendable {
    /// How long EC2 keeps showing a terminated instance.
    static let kept: Duration = .seconds(3600)

    private struct Entry {
        let placed: EC2InstanceDescriber.Placed
        let at: ContinuousClock.Instant
    }

    private let entries = Mutex<[Entry]>([])

    init() {}

    func record(_ placed: [EC2InstanceDescriber.Placed]) {
        let now = ContinuousClock.now
        entries.withLock { entries in
            entries.removeAll { entry in placed.contains { $0.instance.name == entry.placed.instance.name } }
            entries += placed.map { Entry(placed: $0, at: now) }
        }
    }

    /// The instances terminated within ``kept``, oldest first.
    var recent: [EC2InstanceDescriber.Placed] {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            entries.removeAll { now - $0.at > Self.kept }
            return entries.map(\.placed)
        }
    }
}
