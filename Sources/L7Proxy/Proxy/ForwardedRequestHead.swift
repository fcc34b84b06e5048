import NIOCore
import NIOHTTP1

/// Rewrites a client's request head for the target: HTTP/1.1 keep-alive, hop-by-hop headers
/// removed, `X-Forwarded-For` and `Host` as the ``ForwardedHeaderPolicy`` says,
/// `X-Forwarded-Proto`/`-Port` set, `X-Amzn-Trace-Id` set (``TraceIdentifier``) and `X-Lbnet-Via`
/// appended. Pure.
enum ForwardedRequestHead {
    /// Whether a header (its name lowercased) describes one connection and is never forwarded
    /// (RFC 9110 section 7.6.1). A switch, not a set: no hashing per header.
    static func isHopByHop(_ lowercasedName: String) -> Bool {
        switch lowercasedName {
        case "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
            "proxy-authenticate", "proxy-authorization":
            true
        default:
            false
        }
    }

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
        let listedInConnection = Set(
            head.headers["Connection"].flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace.lowercased() }
        )
        var forwardedFor: [String] = []
        let hostPort = context.policy.hostPortToAdd(scheme: context.listenerScheme, listenerPort: context.listenerPort)
        for (name, value) in head.headers {
            let lowered = name.lowercased()
            if isHopByHop(lowered) || (!listedInConnection.isEmpty && listedInConnection.contains(lowered)) || lowered == "expect" { continue }
            switch lowered {
            case "x-forwarded-for": forwardedFor.append(value)
            case "x-forwarded-proto", "x-forwarded-port", "content-length", "x-amzn-trace-id": continue
            case "host" where hostPort != nil:
                headers.add(name: name, value: ForwardedHeaderPolicy.host(value, adding: hostPort!))
            default: headers.add(name: name, value: value)
            }
        }
        if head.headers.contains(name: "Transfer-Encoding") {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        } else if let length = head.headers.first(name: "Content-Length")?.split(separator: ",").first {
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

/// Rewrites a target's response head for the client: hop-by-hop headers removed, framing left
/// to the encoder (`Content-Length` kept, chunked otherwise), and `Connection` set to what the
/// node will do with the client connection. Pure.
enum ClientResponseHead {
    static func make(from head: HTTPResponseHead, requestVersion: HTTPVersion, keepAlive: Bool) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headers.count + 1)
        let listedInConnection = Set(
            head.headers["Connection"].flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace.lowercased() }
        )
        for (name, value) in head.headers {
            let lowered = name.lowercased()
            if ForwardedRequestHead.isHopByHop(lowered) || (!listedInConnection.isEmpty && listedInConnection.contains(lowered)) { continue }
            headers.add(name: name, value: value)
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
