import NIOHTTP1

@testable import L7Proxy

extension ForwardedRequestHead {
    /// The context of the tests' forwarded requests: client 198.51.100.9 on an HTTP listener's
    /// port 80, node `alb-a`, trace id `Root=1-x-y`.
    static let testContext = Context(
        clientAddress: "198.51.100.9", listenerScheme: "http", listenerPort: 80, nodeName: "alb-a", traceID: "Root=1-x-y"
    )

    /// The fields the node adds to every request forwarded with ``testContext``, as bytes.
    static let testContextFields = "X-Forwarded-For: 198.51.100.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 80\r\n"
        + "X-Amzn-Trace-Id: Root=1-x-y\r\nX-Lbnet-Via: alb-a\r\n"

    /// `request` forwarded with ``testContext``.
    static func forTest(_ request: HTTPRequestHead) -> ForwardedRequestHead {
        ForwardedRequestHead(request: request, context: testContext)
    }
}
