import NIOCore
import NIOHTTP1

/// Rewrites a client's request head for the target: HTTP/1.1 keep-alive, hop-by-hop headers
/// removed, `X-Forwarded-For` and `Host` as the ``ForwardedHeaderPolicy`` says,
/// `X-Forwarded-Proto`/`-Port` set, `X-Amzn-Trace-Id` set (``TraceIdentifier``) and `X-Lbnet-Via`
/// appended. Pure.
enum ForwardedRequestHead {
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

    static func make(from head: HTTPRequestHead, context: Context) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headers.count + 5)
        let connectionOptions = ConnectionOptions(head.headers)
        var forwardedFor: [String] = []
        let hostPort = context.policy.hostPortToAdd(scheme: context.listenerScheme, listenerPort: context.listenerPort)
        var chunked = false
        var length: Substring?
        for (name, value) in head.headers {
            let field = ForwardingFieldName(name)
            if field == .transferEncoding { chunked = true }
            if field == .contentLength, length == nil { length = value.split(separator: ",").first }
            if field.isHopByHop || field == .expect || connectionOptions.lists(name) { continue }
            switch field {
            case .xForwardedFor: forwardedFor.append(value)
            case .contentLength, .setByNode: continue
            case .host where hostPort != nil: headers.add(name: name, value: ForwardedHeaderPolicy.host(value, adding: hostPort!))
            default: headers.add(name: name, value: value)
            }
        }
        if chunked {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        } else if let length {
            // Screening has ensured every listed length is the same.
            headers.add(name: "Content-Length", value: String(length.trimmingWhitespace))
        }
        for line in context.policy.forwardedFor(forwardedFor, clientAddress: context.clientAddress, clientPort: context.clientPort) {
            headers.add(name: "X-Forwarded-For", value: line)
        }
        headers.add(name: "X-Forwarded-Proto", value: context.listenerScheme)
        headers.add(name: "X-Forwarded-Port", value: String(context.listenerPort))
        headers.add(name: "X-Amzn-Trace-Id", value: context.traceID)
        headers.add(name: "X-Lbnet-Via", value: context.nodeName)
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
    }
}
