#if canImport(Glibc)
import Glibc
#endif

/// Runs a synchronous closure on a new OS thread and joins it. Namespace switches (`setns`,
/// `unshare`) affect only the calling thread, so they happen on a thread that exists for that
/// one job and ends with it: no other work ever runs in a namespace it did not ask for, and no
/// `await` can move the work to another thread half way.
enum FreshThread {
    /// The job and its outcome, shared with the thread (which is joined before this returns).
    private final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    static func run<T>(_ body: () throws -> T) throws -> T {
        var outcome: Result<T, any Error>?
        try withoutActuallyEscaping(body) { body in
            let job = Unmanaged.passRetained(Job { outcome = Result { try body() } })
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { context in
                let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
                job.body()
                return nil
            }, job.toOpaque())
            guard created == 0 else {
                job.release()
                throw SystemError("starting a thread", errno: created)
            }
            pthread_join(thread, nil)
        }
        return try outcome!.get()
    }
}
