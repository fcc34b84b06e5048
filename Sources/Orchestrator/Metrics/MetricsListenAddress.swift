import Kernel

/// Where the daemon serves its Prometheus endpoint (`--metrics-listen`): `HOST:PORT` with an
/// IPv4 address or `localhost` (port 0 lets the system choose), or `off`. The default is
/// loopback only: `127.0.0.1:9464`.
public enum MetricsListenAddress: Sendable, Equatable, CustomStringConvertible {
    case off
    case listen(host: String, port: Int)

    public static let `default` = MetricsListenAddress.listen(host: "127.0.0.1", port: 9464)

    /// Parses `off` or `HOST:PORT`; the error names what is wrong.
    public init(parsing text: String) throws(MetricsListenError) {
        if text == "off" {
            self = .off
            return
        }
        guard let colon = text.lastIndex(of: ":") else { throw .invalid(text, "expected HOST:PORT or off") }
        let host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw .invalid(text, "the port must be a number from 0 to 65535")
        }
        guard host == "localhost" || IPv4Address(host) != nil else {
            throw .invalid(text, "the host must be an IPv4 address or localhost")
        }
        self = .listen(host: host == "localhost" ? "127.0.0.1" : host, port: port)
    }

    /// Whether the daemon's `metrics` endpoint, as its status shows it, is this address (any
    /// port, for port 0).
    public func isServed(by endpoint: String) -> Bool {
        switch self {
        case .off: endpoint == "off"
        case .listen(let host, let port): endpoint.hasPrefix("http://\(host):\(port == 0 ? "" : "\(port)/")")
        }
    }

    /// The form `--metrics-listen` takes.
    public var description: String {
        switch self {
        case .off: "off"
        case .listen(let host, let port): "\(host):\(port)"
        }
    }
}

/// A `--metrics-listen` value that cannot be used.
public enum MetricsListenError: Error, CustomStringConvertible, Equatable {
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(let text, let reason): "--metrics-listen '\(text)': \(reason)"
        }
    }
}
