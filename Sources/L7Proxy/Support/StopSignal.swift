import Synchronization

/// A one-shot signal a task can wait for, raised from anywhere (such as a cancellation handler).
final class StopSignal: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Void, Never>?)
        case raised
    }

    private let state = Mutex(State.waiting(nil))

    /// Returns once ``raise()`` has been called (at once if it already was).
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if case .raised = state { return true }
                state = .waiting(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func raise() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state = .raised }
            if case .waiting(let continuation) = state { return continuation }
            return nil
        }
        waiter?.resume()
    }
}
