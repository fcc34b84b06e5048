import NIOHTTP1

/// Rewrites a target's response head for the client: hop-by-hop headers removed, framing left
/// to the writer (`Content-Length` kept, chunked otherwise), and `Connection` set to what the
/// node will do with the client connection. Pure.
enum ClientResponseHead {
    static func make(from head: HTTPResponseHead, requestVersion: HTTPVersion, keepAlive: Bool) -> HTTPResponseHead {
        let connectionOptions = ConnectionOptions(head.headers)
        let forwarded = { (name: String) in !ForwardingFieldName(name).isHopByHop && !connectionOptions.lists(name) }
        // Most responses carry no hop-by-hop field: their headers go on as they are, not copied field by field.
        var headers = head.headers
        if !head.headers.allSatisfy({ forwarded($0.name) }) {
            headers = HTTPHeaders()
            headers.reserveCapacity(head.headers.count + 1)
            for (name, value) in head.headers where forwarded(name) {
                headers.add(name: name, value: value)
            }
        }
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if requestVersion == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: requestVersion == .http1_0 ? .http1_0 : .http1_1, status: head.status, headers: headers)
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
