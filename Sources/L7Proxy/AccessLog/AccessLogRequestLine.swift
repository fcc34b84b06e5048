import NIOHTTP1

/// The `request` field of an access log line, `METHOD scheme://host:port/target HTTP/x.y`: kept
/// in its parts while the node handles the request, and written with the rest of the line off
/// the event loop.
public struct AccessLogRequestLine: Sendable, Equatable, CustomStringConvertible {
    private enum Form: Sendable {
        case text(String)
        /// `hostHeader`'s port is dropped when written; without it the line names `localIP`.
        case parts(method: HTTPMethod, scheme: String, hostHeader: String?, localIP: String?, port: Int?, target: String,
                   version: HTTPVersion)
    }

    private let form: Form

    /// A line given whole.
    public init(_ text: String) {
        form = .text(text)
    }

    /// The line of `head`, received by a listener of `scheme` at `localIP`:`localPort`.
    init(head: HTTPRequestHead, scheme: String, localIP: String?, localPort: Int?) {
        form = .parts(method: head.method, scheme: scheme, hostHeader: head.headers.first(name: "Host"), localIP: localIP,
                      port: localPort, target: head.uri, version: head.version)
    }

    /// `- - -`: bytes that never formed a request head.
    static let unreadable = AccessLogRequestLine("- - -")

    public var description: String {
        var line = AccessLogLine(capacity: 128)
        appendPieces { line.append(String($0)) }
        return line.text
    }

    /// Lines are equal when they read the same, however they are kept.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.description == rhs.description
    }

    /// Hands the line's pieces, in order, to `append`.
    func appendPieces(_ append: (Substring) -> Void) {
        switch form {
        case .text(let text):
            append(Substring(text))
        case .parts(let method, let scheme, let hostHeader, let localIP, let port, let target, let version):
            append(Substring(method.rawValue))
            append(" ")
            append(Substring(scheme))
            append("://")
            append(hostHeader.map { RequestFacts.withoutPort(Substring($0)) } ?? Substring(localIP ?? "-"))
            append(":")
            append(port.map { Substring(String($0)) } ?? "-")
            if !target.hasPrefix("/") { append("/") }
            append(Substring(target))
            append(" HTTP/")
            append(Substring(String(version.major)))
            append(".")
            append(Substring(String(version.minor)))
        }
    }
}
