import NIOCore

/// The deadlines of one connection, kept by the handler that owns the connection with one
/// scheduled check: the load balancer's idle timeout (nothing read or sent for that long) and,
/// for client connections, `client_keep_alive.seconds` (the connection's whole lifetime).
///
/// The owner notes activity (``noteActivity()``) once per read batch and per flush; that costs
/// a clock read, not a promise per write as NIO's `IdleStateHandler` does. The check is a
/// scheduled callback (no promise), and moves only when it comes due. Confined to the
/// connection's event loop.
final class ConnectionTimer: NIOScheduledCallbackHandler {
    private let idleTimeout: TimeAmount?
    private let lifetime: TimeAmount?
    private var lastActivity = NIODeadline.now()
    private var lifetimeEnd: NIODeadline?
    private var check: NIOScheduledCallback?
    private var eventLoop: EventLoop?
    private var onIdle: () -> Void = {}
    private var onLifetimeOver: () -> Void = {}
    /// The connection has been open for its whole lifetime.
    private(set) var lifetimeIsOver = false

    /// `idleTimeout` nil: no idle timeout (an HTTP/2 stream, whose connection has it);
    /// `lifetime` nil: no limit.
    init(idleTimeout: TimeAmount?, lifetime: TimeAmount? = nil) {
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
    }

    /// Starts the clocks: `onIdle` runs after each `idleTimeout` without activity (the owner may
    /// let the connection live on), `onLifetimeOver` once when the lifetime ends.
    func start(on eventLoop: EventLoop, onIdle: @escaping () -> Void, onLifetimeOver: @escaping () -> Void = {}) {
        guard self.eventLoop == nil, idleTimeout != nil || lifetime != nil else { return }
        self.eventLoop = eventLoop
        self.onIdle = onIdle
        self.onLifetimeOver = onLifetimeOver
        let now = NIODeadline.now()
        lastActivity = now
        lifetimeEnd = lifetime.map { now + $0 }
        schedule()
    }

    func noteActivity() {
        lastActivity = .now()
    }

    /// Stops the clocks; nothing is called after it.
    func cancel() {
        if let check, let eventLoop { eventLoop.assumeIsolated().cancelScheduledCallback(check) }
        check = nil
        eventLoop = nil
        onIdle = {}
        onLifetimeOver = {}
    }

    private var idleDue: NIODeadline? { idleTimeout.map { lastActivity + $0 } }

    private func schedule() {
        check = nil
        guard let eventLoop, let due = [idleDue, lifetimeIsOver ? nil : lifetimeEnd].compactMap({ $0 }).min() else { return }
        // Scheduling fails only on a loop that is shutting down, whose connections are closing.
        check = try? eventLoop.assumeIsolated().scheduleCallback(at: due, handler: self)
    }

    func handleScheduledCallback(eventLoop: some EventLoop) {
        guard check != nil else { return }
        let now = NIODeadline.now()
        let lifetimeEnded = !lifetimeIsOver && lifetimeEnd.map { $0 <= now } == true
        let idle = idleDue.map { $0 <= now } == true
        if lifetimeEnded { lifetimeIsOver = true }
        // The next idle check is a whole timeout away, as after any activity.
        if idle { lastActivity = now }
        schedule()
        if lifetimeEnded { onLifetimeOver() }
        if idle { onIdle() }
    }
}
