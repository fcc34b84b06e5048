import Foundation
import NIOCore
import NIOHTTP1

/// The answer of the built-in target server to one request, computed from the request head and
/// the connection's addresses alone.
struct TargetResponse: Equatable {
    var status: HTTPResponseStatus
    var contentType: String
    var body: String

    /// `GET /health` (query ignored) answers `ok`; every other request gets a ``TargetEcho``.
    static func answering(
        _ request: HTTPRequestHead,
        instance: String,
        availabilityZone: String,
        localAddress: SocketAddress?,
        remoteAddress: SocketAddress?,
        proxyProtocol: ProxyProtocolHeader? = nil
    ) -> TargetResponse {
        if request.method == .GET || request.method == .HEAD, request.pathWithoutQuery == "/health" {
            return TargetResponse(status: .ok, contentType: "text/plain; charset=utf-8", body: "ok")
        }
        let echo = TargetEcho(
            instance: instance,
            availabilityZone: availabilityZone,
            address: localAddress?.hostPort ?? "unknown",
            client: remoteAddress?.hostPort ?? "unknown",
            method: request.method.rawValue,
            path: request.uri,
            host: request.headers.first(name: "Host"),
            forwarded: TargetEcho.Forwarded(
                for: request.headers.joinedValues(name: "X-Forwarded-For"),
                proto: request.headers.joinedValues(name: "X-Forwarded-Proto"),
                port: request.headers.joinedValues(name: "X-Forwarded-Port")
            ),
            via: request.headers[canonicalForm: "X-Lbnet-Via"].map(String.init),
            proxyProtocol: proxyProtocol.map(TargetEcho.ProxyProtocol.init),
            httpVersion: "HTTP/\(request.version.major).\(request.version.minor)"
        )
        return TargetResponse(status: .ok, contentType: "application/json", body: Self.encode(echo))
    }

    /// The response head for `request`: same HTTP version, `Content-Length`, and a `Connection`
    /// header whenever the default of that version does not already say what happens next.
    func head(answering request: HTTPRequestHead) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        let keepAlive = request.isKeepAlive
        if request.version.major == 1, request.version.minor == 0, keepAlive {
            headers.add(name: "Connection", value: "keep-alive")
        } else if !keepAlive {
            headers.add(name: "Connection", value: "close")
        }
        return HTTPResponseHead(version: request.version, status: status, headers: headers)
    }

    private static func encode(_ echo: TargetEcho) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and arrays of strings cannot fail.
        let data = (try? encoder.encode(echo)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension HTTPRequestHead {
    /// The request target up to, not including, the first `?`.
    var pathWithoutQuery: Substring {
        uri.prefix { $0 != "?" }
    }
}

extension HTTPHeaders {
    /// All values of `name` joined with `", "`, or nil when the header is absent.
    func joinedValues(name: String) -> String? {
        let values = self[name]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}
