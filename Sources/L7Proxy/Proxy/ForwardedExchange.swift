import NIOHTTP1

/// One request on its way to a target and its response on the way back. Confined to the
/// client connection's event loop.
final class ForwardedExchange {
    let forwardedHead: ForwardedRequestHead
    let group: String
    let target: TargetEndpoint
    let record: RequestLogRecord

    /// Set once connected; nil while connecting.
    var upstream: UpstreamConnection?
    /// Request parts that arrived while connecting.
    var bufferedParts: [UpstreamRequestPart] = []
    /// Body written to the upstream connection since the last flush.
    var needsFlush = false
    /// The client's request `.end` has arrived.
    var requestComplete = false
    /// The response head has been passed to the client.
    var responseStarted = false
    /// Whether the client connection stays open after the response.
    var keepClientAlive = true
    /// The request's stickiness, whose cookies the response carries; nil when its group has none.
    var sticky: StickySession?

    init(forwardedHead: ForwardedRequestHead, group: String, target: TargetEndpoint, record: RequestLogRecord) {
        self.forwardedHead = forwardedHead
        self.group = group
        self.target = target
        self.record = record
    }

    /// The request as the client sent it.
    var request: HTTPRequestHead { forwardedHead.request }
}
