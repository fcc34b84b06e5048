import Foundation

/// How many topologies may exist at once: one per core. Each `lbnet up` starts a dozen
/// processes and namespaces, and the suites run in parallel with each other and with the
/// loopback proxy tests; unbounded, their health checks (timeouts of a fraction of a second
/// in the proxy tests, a few seconds here) time out on a loaded machine. Waiting for a slot
/// suspends the test; it blocks no thread.
actor TopologySlots {
    static let shared = TopologySlots(count: max(1, ProcessInfo.processInfo.activeProcessorCount))

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    /// Runs `body` holding a slot, waiting for one first if none is free.
    nonisolated func withSlot<T>(_ body: () async throws -> T) async rethrows -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives the slot to the longest waiting test, if any.
    private func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
