import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import L7Proxy

/// ``ConnectionTimer`` on a real event loop, with short durations: the idle callback after each
/// silent timeout, the lifetime callback once, nothing while activity is noted or once cancelled.
@Suite struct ConnectionTimerTests {
    /// What the callbacks saw.
    final class Calls: Sendable {
        let events = NIOLockedValueBox<[String]>([])
        func record(_ event: String) { events.withLockedValue { $0.append(event) } }
        var all: [String] { events.withLockedValue { $0 } }
    }

    let loop = MultiThreadedEventLoopGroup.singleton.next()

    /// Makes a timer on the loop and starts it; returns it bound to the loop, and when it started.
    func started(idle: TimeAmount?, lifetime: TimeAmount?, calls: Calls) async throws
        -> (timer: NIOLoopBound<ConnectionTimer>, at: NIODeadline)
    {
        try await loop.submit {
            let timer = ConnectionTimer(idleTimeout: idle, lifetime: lifetime)
            timer.start(on: loop, onIdle: { calls.record("idle") }, onLifetimeOver: { calls.record("lifetime") })
            return (NIOLoopBound(timer, eventLoop: loop), NIODeadline.now())
        }.get()
    }

    @Test func silenceCallsIdleAfterEachTimeoutAndTheLifetimeOnce() async throws {
        let calls = Calls()
        let clock = ContinuousClock()
        let start = clock.now
        let timer = try await started(idle: .milliseconds(300), lifetime: .milliseconds(450), calls: calls).timer
        try await Task.sleep(for: .milliseconds(150))
        if clock.now - start < .milliseconds(280) { #expect(calls.all.isEmpty) }
        try await Task.sleep(for: .milliseconds(1000))
        // Idle at 300, 600, 900 ms (later when the loop is busy, never earlier); the lifetime at 450.
        let elapsed = clock.now - start
        let idles = calls.all.filter { $0 == "idle" }.count
        #expect(idles >= 2 && Double(idles) <= elapsed / .milliseconds(300), "\(calls.all) in \(elapsed)")
        #expect(calls.all.filter { $0 == "lifetime" }.count == 1, "\(calls.all)")
        #expect(try await loop.submit { timer.value.lifetimeIsOver }.get())
        try await loop.submit { timer.value.cancel() }.get()
    }

    @Test func activityKeepsTheIdleCallbackAwayAndCancelStopsEverything() async throws {
        let calls = Calls()
        let (timer, startedAt) = try await started(idle: .seconds(1), lifetime: nil, calls: calls)
        // Activity every 100 ms for 2 s: twice the timeout. The gaps are measured on the loop,
        // from the start: a test task starved for a whole second (a loaded machine) would make a
        // real silence.
        var last = startedAt
        var longestGap = TimeAmount.zero
        for _ in 0..<20 {
            try await Task.sleep(for: .milliseconds(100))
            let noted = try await loop.submit {
                timer.value.noteActivity()
                return NIODeadline.now()
            }.get()
            longestGap = max(longestGap, noted - last)
            last = noted
        }
        if longestGap < .milliseconds(900) { #expect(calls.all.isEmpty, "\(calls.all)") }
        #expect(try await loop.submit { !timer.value.lifetimeIsOver }.get())
        let before = calls.all.count
        try await loop.submit { timer.value.cancel() }.get()
        try await Task.sleep(for: .milliseconds(1500))
        #expect(calls.all.count == before, "\(calls.all)")
    }
}
