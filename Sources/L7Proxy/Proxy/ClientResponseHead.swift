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
        if !keepAlive {
            response.headers.add(name: "Connection", value: "close")
        } else if requestVersion == .http1_0 {
            response.headers.add(name: "Connection", value: "keep-alive")
        }
        let version: HTTPVersion = requestVersion == .http1_0 ? .http1_0 : .http1_1
        if response.version != version { response.version = version }
        return response
    }

    /// Whether the client connection can stay open after this response: the client wants it,
    /// and the body is delimited by length or chunking (HTTP/1.0 clients cannot take chunks).
    static func canKeepAlive(response head: HTTPResponseHead, request: HTTPRequestHead, requestMethod: HTTPMethod) -> Bool {
        guard request.isKeepAlive else { return false }
        if request.version == .http1_0 {
            let bodyless = requestMethod == .HEAD || head.status.code / 100 == 1 || head.status.code == 204 || head.status.code == 304
            return bodyless || head.headers.contains(name: "Content-Length")
        }
        return true
    }
}
