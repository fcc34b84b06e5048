import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct ForwardedRequestHeadTests {
    let context = ForwardedRequestHead.Context(
        clientAddress: "198.51.100.9", listenerScheme: "http", listenerPort: 80, nodeName: "alb-a", traceID: "Root=1-x-y"
    )

    @Test func rewritesForTheTarget() {
        let head = HTTPRequestHead(version: .http1_0, method: .POST, uri: "/p?q", headers: [
            "Host": "app.example", "Connection": "keep-alive, X-Secret", "X-Secret": "1", "Keep-Alive": "timeout=5",
            "X-Forwarded-For": "192.0.2.1", "X-Forwarded-Proto": "https", "X-Forwarded-Port": "443",
            "Content-Length": "3", "Expect": "100-continue", "X-Lbnet-Via": "nlb-a", "Accept": "*/*",
        ])
        let forwarded = ForwardedRequestHead(request: head, context: context).head
        #expect(forwarded.version == .http1_1)
        #expect(forwarded.method == .POST)
        #expect(forwarded.uri == "/p?q")
        #expect(forwarded.headers["Host"] == ["app.example"])
        #expect(forwarded.headers["Connection"].isEmpty)
        #expect(forwarded.headers["Keep-Alive"].isEmpty)
        #expect(forwarded.headers["X-Secret"].isEmpty)
        #expect(forwarded.headers["Expect"].isEmpty)
        #expect(forwarded.headers["X-Forwarded-For"] == ["192.0.2.1, 198.51.100.9"])
        #expect(forwarded.headers["X-Forwarded-Proto"] == ["http"])
        #expect(forwarded.headers["X-Forwarded-Port"] == ["80"])
        #expect(forwarded.headers["X-Amzn-Trace-Id"] == ["Root=1-x-y"])
        #expect(forwarded.headers["X-Lbnet-Via"] == ["nlb-a", "alb-a"])
        #expect(forwarded.headers["Content-Length"] == ["3"])
        #expect(forwarded.headers["Accept"] == ["*/*"])
    }

    @Test func recognisesNamesInAnyCase() {
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: [
            "HOST": "app.example", "x-FORWARDED-for": "192.0.2.1", "CONTENT-length": "3, 3", "connection": "X-secret",
            "x-SECRET": "1", "te": "trailers", "Upgrade": "websocket", "x-amzn-trace-ID": "Root=1-a-b",
        ])
        let forwarded = ForwardedRequestHead(request: head, context: context).head
        #expect(forwarded.headers.map(\.name) == [
            "HOST", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Amzn-Trace-Id", "X-Lbnet-Via", "Content-Length",
        ])
        #expect(forwarded.headers["X-Forwarded-For"] == ["192.0.2.1, 198.51.100.9"])
        #expect(forwarded.headers["Content-Length"] == ["3"])
    }

    @Test func sendsTheTraceIDItIsGivenAndChunking() {
        let head = HTTPRequestHead(version: .http1_1, method: .PUT, uri: "/", headers: [
            "X-Amzn-Trace-Id": "Root=1-a-b", "Transfer-Encoding": "chunked",
        ])
        let forwarded = ForwardedRequestHead(request: head, context: context).head
        #expect(forwarded.headers["X-Amzn-Trace-Id"] == ["Root=1-x-y"])
        #expect(forwarded.headers["Transfer-Encoding"] == ["chunked"])
        #expect(forwarded.headers["X-Forwarded-For"] == ["198.51.100.9"])
    }
}

@Suite struct ClientResponseHeadTests {
    @Test func dropsHopByHopAndStatesConnection() {
        let response = HTTPResponseHead(version: .http1_1, status: .ok, headers: [
            "Content-Length": "2", "Connection": "close, X-Hop", "X-Hop": "1", "Transfer-Encoding": "chunked", "Set-Cookie": "a=b",
        ])
        let http11 = ClientResponseHead.make(from: response, requestVersion: .http1_1, keepAlive: true)
        #expect(http11.headers["Connection"].isEmpty)
        #expect(http11.headers["X-Hop"].isEmpty)
        #expect(http11.headers["Transfer-Encoding"].isEmpty)
        #expect(http11.headers["Set-Cookie"] == ["a=b"])
        #expect(ClientResponseHead.make(from: response, requestVersion: .http1_1, keepAlive: false).headers["Connection"] == ["close"])
        let http10 = ClientResponseHead.make(from: response, requestVersion: .http1_0, keepAlive: true)
        #expect(http10.version == .http1_0)
        #expect(http10.headers["Connection"] == ["keep-alive"])
    }

    @Test func keepsEveryOtherFieldInItsOrder() {
        let response = HTTPResponseHead(version: .http1_1, status: .ok, headers: [
            "content-type": "text/plain", "Set-Cookie": "a=b", "content-length": "2", "Set-Cookie": "c=d",
        ])
        let forwarded = ClientResponseHead.make(from: response, requestVersion: .http1_1, keepAlive: true)
        #expect(forwarded.headers.map { "\($0.name): \($0.value)" }
            == ["content-type: text/plain", "Set-Cookie: a=b", "content-length: 2", "Set-Cookie: c=d"])
        let mixedCase = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["KEEP-alive": "timeout=5", "content-length": "2"])
        #expect(ClientResponseHead.make(from: mixedCase, requestVersion: .http1_1, keepAlive: true).headers.map(\.name) == ["content-length"])
    }

    @Test func http10KeepAliveNeedsALength() {
        let request = HTTPRequestHead(version: .http1_0, method: .GET, uri: "/", headers: ["Connection": "keep-alive"])
        let sized = TargetResponseHead(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "1"]))
        let unsized = TargetResponseHead(HTTPResponseHead(version: .http1_1, status: .ok))
        #expect(ClientResponseHead.canKeepAlive(response: sized, request: request, requestMethod: .GET))
        #expect(!ClientResponseHead.canKeepAlive(response: unsized, request: request, requestMethod: .GET))
        #expect(ClientResponseHead.canKeepAlive(response: unsized, request: request, requestMethod: .HEAD))
        let closing = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Connection": "close"])
        #expect(!ClientResponseHead.canKeepAlive(response: sized, request: closing, requestMethod: .GET))
    }
}

@Suite struct ForwardingFieldNameTests {
    @Test(arguments: [
        ("te", ForwardingFieldName.hopByHop), ("Connection", .hopByHop), ("KEEP-ALIVE", .hopByHop), ("Trailer", .hopByHop),
        ("upgrade", .hopByHop), ("Proxy-Connection", .hopByHop), ("Proxy-Authenticate", .hopByHop),
        ("proxy-authorization", .hopByHop), ("Transfer-Encoding", .transferEncoding), ("Expect", .expect), ("hOsT", .host),
        ("Content-Length", .contentLength), ("X-Forwarded-For", .xForwardedFor), ("X-Forwarded-Proto", .setByNode),
        ("x-forwarded-port", .setByNode), ("X-Amzn-Trace-Id", .setByNode),
        // Same lengths, other names; and names that differ only in a byte that is not a letter.
        ("tf", .other), ("Hosts", .other), ("Content-Lengtx", .other), ("X-Forwarded-Fo_", .other), ("x_forwarded_for", .other),
        ("", .other), ("Connection\u{0}", .other),
    ])
    func classifies(name: String, expected: ForwardingFieldName) {
        #expect(ForwardingFieldName(name) == expected)
    }
}
