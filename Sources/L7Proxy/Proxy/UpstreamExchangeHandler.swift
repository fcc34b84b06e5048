import NIOCore
import NIOHTTP1

/// The handler at the end of an upstream channel that an ``UpstreamConnection`` talks to: it
/// sends the exchange's request parts, hands the response to the connection's current
/// receiver, and holds reads while that receiver's client is slow. Confined to its event loop.
protocol UpstreamExchangeHandler: AnyObject {
    /// The exchange receiving responses; nil while the connection is parked.
    var receiver: (any UpstreamResponseReceiver)? { get set }
    /// Whether the last response neither asked to close the connection nor was cut short.
    var lastResponseAllowsReuse: Bool { get }
    /// Writes a part of the request, without flushing.
    func send(_ part: UpstreamRequestPart)
    func flush()
    /// The handler's place in its pipeline, nil once removed.
    var context: ChannelHandlerContext? { get }
    /// The channel's reads, held while the exchange's client is slow (the handler's `read`
    /// goes through it).
    var heldReads: HeldReads { get set }
}

extension UpstreamExchangeHandler {
    /// Stops reading responses until ``resumeReading()``.
    func pauseReading() {
        heldReads.hold()
    }

    func resumeReading() {
        heldReads.release(context: context)
    }
}

/// A channel's reads, held while the exchange's client cannot keep up: a read asked for while
/// held is passed on when released. Confined to its event loop.
struct HeldReads {
    private var held = false
    private var pending = false

    mutating func read(context: ChannelHandlerContext) {
        if held {
            pending = true
        } else {
            context.read()
        }
    }

    mutating func hold() {
        held = true
    }

    mutating func release(context: ChannelHandlerContext?) {
        guard held else { return }
        held = false
        if pending, let context {
            pending = false
            context.read()
        }
    }
}
