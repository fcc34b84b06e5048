import NIOCore
import NIOHTTP1

/// A client's request head as the node forwards it to a target: HTTP/1.1 keep-alive, hop-by-hop
/// headers removed, `X-Forwarded-For` and `Host` as the ``ForwardedHeaderPolicy`` says,
/// `X-Forwarded-Proto`/`-Port` set, `X-Amzn-Trace-Id` set (``TraceIdentifier``), `X-Lbnet-Via`
/// appended, and the body's framing field last. The rewrite is one walk over the client's
/// fields (``forEachField(_:)``): written straight into bytes for an HTTP/1.1 target
/// (``UpstreamRequestBytes``), gathered into NIO's head for an HTTP/2 target's codec
/// (``head``). Pure.
struct ForwardedRequestHead {
    struct Context {
        /// The client's address as the node saw it.
        var clientAddress: String
        /// `http` for HTTP listeners.
        var listenerScheme: String
        /// The port the client connected to.
        var listenerPort: Int
        var nodeName: String
        var traceID: String
        /// The client's source port, for `routing.http.xff_client_port.enabled`.
        var clientPort: Int? = nil
        var policy = ForwardedHeaderPolicy()
    }

    /// How the client framed the request's body, which the forwarded request keeps.
    enum Framing: Equatable {
        /// Neither `Content-Length` nor `Transfer-Encoding`.
        case none
        /// `Content-Length`: the first listed value (screening has ensured they are all the same).
        case length(String)
        /// Any `Transfer-Encoding`: forwarded as `chunked`.
        case chunked
    }

    /// The request as the client sent it.
    let request: HTTPRequestHead
    let context: Context

    init(request: HTTPRequestHead, context: Context) {
        self.request = request
        self.context = context
    }

    var method: HTTPMethod { request.method }

    /// Calls `field` with each forwarded field but the framing one, in order: the client's
    /// fields that go on (`Host` with the listener's port when the policy adds it), then
    /// `X-Forwarded-For`, `X-Forwarded-Proto`, `X-Forwarded-Port`, `X-Amzn-Trace-Id` and
    /// `X-Lbnet-Via`. Returns the body's framing, whose field the caller writes last.
    func forEachField<Failure: Error>(_ field: (String, String) throws(Failure) -> Void) throws(Failure) -> Framing {
        let connectionOptions = ConnectionOptions(request.headers)
        var clientForwardedFor: [String] = []
        let hostPort = context.policy.hostPortToAdd(scheme: context.listenerScheme, listenerPort: context.listenerPort)
        var chunked = false
        var length: String?
        for (name, value) in request.headers {
            let kind = ForwardingFieldName(name)
            if kind == .transferEncoding { chunked = true }
            if kind == .contentLength, length == nil { length = Self.firstItem(of: value) }
            if kind.isHopByHop || kind == .expect || connectionOptions.lists(name) { continue }
            switch kind {
            case .xForwardedFor: clientForwardedFor.append(value)
            case .contentLength, .setByNode: continue
            case .host where hostPort != nil: try field(name, ForwardedHeaderPolicy.host(value, adding: hostPort!))
            default: try field(name, value)
            }
        }
        try context.policy.forEachForwardedFor(clientForwardedFor, clientAddress: context.clientAddress, clientPort: context.clientPort) {
            (line: String) throws(Failure) in try field("X-Forwarded-For", line)
        }
        try field("X-Forwarded-Proto", context.listenerScheme)
        try field("X-Forwarded-Port", String(context.listenerPort))
        try field("X-Amzn-Trace-Id", context.traceID)
        try field("X-Lbnet-Via", context.nodeName)
        if chunked { return .chunked }
        return length.map { .length($0) } ?? .none
    }

    /// The forwarded head as NIO's type, for an HTTP/2 target's codec.
    var head: HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 6)
        switch forEachField({ headers.add(name: $0, value: $1) }) {
        case .chunked: headers.add(name: "Transfer-Encoding", value: "chunked")
        case .length(let length): headers.add(name: "Content-Length", value: length)
        case .none: break
        }
        return HTTPRequestHead(version: .http1_1, method: request.method, uri: request.uri, headers: headers)
    }

    /// A `Content-Length` value's first comma-separated item, trimmed.
    private static func firstItem(of value: String) -> String {
        let utf8 = value.utf8
        let item = utf8.firstIndex(of: UInt8(ascii: ",")).map { Substring(value[..<$0]) } ?? Substring(value)
        return String(item.trimmingWhitespace)
    }
}
