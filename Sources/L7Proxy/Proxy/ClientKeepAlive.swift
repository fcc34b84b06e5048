import NIOCore

/// `client_keep_alive.seconds` of one client connection: a timer from when the connection is
/// set up; once it has fired, the next response closes the connection (an idle connection is
/// closed at once). One timer per connection, nothing per request. Confined to the
/// connection's event loop.
final class ClientKeepAlive {
    private let seconds: Int?
    private var timer: Scheduled<Void>?
    /// The connection has been open for the whole duration.
    private(set) var isOver = false

    /// `seconds` nil: no limit (HTTP/2 streams, whose connection the limit is not counted on).
    init(seconds: Int?) {
        self.seconds = seconds
    }

    func start(on eventLoop: EventLoop, whenOver: @escaping () -> Void) {
        guard let seconds, timer == nil else { return }
        timer = eventLoop.assumeIsolated().scheduleTask(in: .seconds(Int64(seconds))) { [weak self] in
            self?.isOver = true
            whenOver()
        }
    }

    func cancel() {
        timer?.cancel()
        timer = nil
    }
}
