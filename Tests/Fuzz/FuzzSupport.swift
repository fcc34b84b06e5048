import Synchronization

/// A count shared between libFuzzer's thread and nothing else; a Mutex keeps it Sendable.
final class AtomicCounter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() -> Int { count.withLock { $0 += 1; return $0 } }
}

/// Hands a result from a task to the thread that waits for it.
final class ResultBox<T: Sendable>: Sendable {
    private let stored = Mutex<Result<T, any Error>?>(nil)
    func set(_ result: Result<T, any Error>) { stored.withLock { $0 = result } }
    func get() -> Result<T, any Error>? { stored.withLock { $0 } }
}
