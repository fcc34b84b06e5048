import NIOHTTP1

/// Rewrites a target's response head for the client: hop-by-hop headers removed, framing left
/// to the writer (`Content-Length` kept, chunked otherwise), and `Connection` set to what the
/// node will do with the client connection. Pure.
enum ClientResponseHead {
    static func make(from head: HTTPResponseHead, requestVersion: HTTPVersion, keepAlive: Bool) -> HTTPResponseHead {
        // Most responses carry no hop-by-hop field (`Connection` is one), keep the connection open
        // and answer HTTP/1.1: they go on as they are, neither copied field by field nor into a
        // new head.
        var response = head
        if head.headers.contains(where: { ForwardingFieldName($0.name).isHopByHop }) {
            let connectionOptions = ConnectionOptions(head.headers)
            let forwarded = { (name: String) in !ForwardingFieldName(name).isHopByHop && !connectionOptions.lists(name) }
            var headers = HTTPHeaders()
            headers.reserveCapacity(head.headers.count + 1)
            for (name, value) in head.headers where forwarded(name) {
                headers.add(name: name, value: value)
            }
            response.headers = headers
        }
        if let connection = connection(requestVersion: requestVersion, keepAlive: keepAlive) {
            response.headers.add(name: "Connection", value: connection)
        }
        let version = version(requestVersion: requestVersion)
        if response.version != version { response.version = version }
        return response
    }

    /// The response's version: the request's, HTTP/1.0 or 1.1.
    static func version(requestVersion: HTTPVersion) -> HTTPVersion {
        requestVersion == .http1_0 ? .http1_0 : .http1_1
    }

    /// The `Connection` value the response carries: `close` when the node closes the connection
    /// after it, `keep-alive` when it keeps an HTTP/1.0 client's open, none otherwise.
    static func connection(requestVersion: HTTPVersion, keepAlive: Bool) -> String? {
        if !keepAlive { return "close" }
        return requestVersion == .http1_0 ? "keep-alive" : nil
    }

    /// Whether the client connection can stay open after this response: the client wants it,
    /// and the body is delimited by length or chunking (HTTP/1.0 clients cannot take chunks).
    static func canKeepAlive(response head: TargetResponseHead, request: HTTPRequestHead, requestMethod: HTTPMethod) -> Bool {
        guard request.isKeepAlive else { return false }
        if request.version == .http1_0 {
            let bodyless = requestMethod == .HEAD || head.status.code / 100 == 1 || head.status.code == 204 || head.status.code == 304
            return bodyless || head.hasContentLength
        }
        return true
    }
}
