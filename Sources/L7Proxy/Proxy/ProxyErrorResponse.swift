import NIOHTTP1

/// The small HTML pages an ALB answers with when it fails a request itself, such as
/// `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>`.
enum ProxyErrorResponse {
    /// The reason phrase the page and status line use: AWS's (nginx's) wording for its own codes.
    static func reasonPhrase(_ code: Int) -> String {
        switch code {
        case 405: "Not Allowed"
        case 408: "Request Time-out"
        case 414: "Request-URI Too Large"
        case 460: "Client Closed Request"
        case 463, 464: "Bad Request"
        case 503: "Service Temporarily Unavailable"
        case 504: "Gateway Time-out"
        default: HTTPResponseStatus(statusCode: code).reasonPhrase
        }
    }

    static func body(_ code: Int) -> String {
        let title = "\(code) \(reasonPhrase(code))"
        return "<html>\r\n<head><title>\(title)</title></head>\r\n<body>\r\n<center><h1>\(title)</h1></center>\r\n</body>\r\n</html>\r\n"
    }

    /// A complete response head and body for `code`; `close` adds `Connection: close`.
    static func response(_ code: Int, version: HTTPVersion, close: Bool) -> (HTTPResponseHead, String) {
        let body = body(code)
        var headers = HTTPHeaders()
        headers.add(name: "Server", value: "awselb/2.0")
        headers.add(name: "Content-Type", value: "text/html")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: close ? "close" : "keep-alive")
        let status = HTTPResponseStatus(statusCode: code, reasonPhrase: reasonPhrase(code))
        return (HTTPResponseHead(version: version, status: status, headers: headers), body)
    }
}
