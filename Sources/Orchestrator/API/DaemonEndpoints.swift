import Synchronization

/// What the daemon serves besides its sockets, as `lbnet status` shows it: each endpoint's name
/// (`api`) and where it listens, or why it does not.
public final class DaemonEndpoints: Sendable {
    private let described = Mutex<[String: String]>([:])

    public init() {}

    public func set(_ name: String, _ description: String) { described.withLock { $0[name] = description } }

    public var all: [String: String] { described.withLock { $0 } }
}
