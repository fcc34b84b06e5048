import NIOCore
import NIOHTTP1

/// A keep-alive HTTP/1.1 connection from the node to one target, used by one exchange at a
/// time and parked in the ``UpstreamPool`` in between; or one HTTP/2 stream to a target
/// (``UpstreamHTTP2Sessions``), used by one exchange and never parked. Confined to its event loop.
final class UpstreamConnection {
    let channel: Channel
    let target: TargetEndpoint.Key
    private let handler: any UpstreamExchangeHandler

    init(channel: Channel, target: TargetEndpoint.Key, handler: any UpstreamExchangeHandler) {
        self.channel = channel
        self.target = target
        self.handler = handler
    }

    /// The exchange receiving responses; nil while pooled.
    var receiver: (any UpstreamResponseReceiver)? {
        get { handler.receiver }
        set { handler.receiver = newValue }
    }

    /// Whether the connection may carry another request: open, and the last response neither
    /// asked to close nor was cut short (never for a stream).
    var isReusable: Bool { channel.isActive && handler.lastResponseAllowsReuse }

    var isWritable: Bool { channel.isWritable }

    func write(_ part: UpstreamRequestPart) {
        handler.send(part)
    }

    func flush() {
        handler.flush()
    }

    /// Stops reading responses until ``resumeReading()``, while the client cannot keep up.
    func pauseReading() { handler.pauseReading() }

    func resumeReading() { handler.resumeReading() }

    func close() {
        channel.close(promise: nil)
    }
}
