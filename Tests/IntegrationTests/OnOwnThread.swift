import Foundation

/// Runs the blocking `body` (a wait for a child, a read from a pipe, a connect) on a thread of
/// its own and resumes the caller with its result, so no thread of the cooperative pool blocks:
/// async tests from other suites (the loopback proxy tests) keep running meanwhile.
func onOwnThread<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(returning: Result { () throws(E) -> T in try body() })
        }
    }
    return try result.get()
}
