import Foundation

/// Runs a synchronous closure on a new OS thread and waits for it. Namespace switches
/// (`setns`, `unshare`) affect only the calling thread, so they happen on a thread that exists
/// for that one job and ends with it: no other work ever runs in a namespace it did not ask for,
/// and no `await` can move the work to another thread half way.
enum FreshThread {
    static func run<T>(_ body: () throws -> T) throws -> T {
        nonisolated(unsafe) var outcome: Result<T, any Error>?
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let job = body
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                outcome = Result { try job() }
                done.signal()
            }
            thread.stackSize = 1 << 20
            thread.start()
            done.wait()
        }
        return try outcome!.get()
    }
}
