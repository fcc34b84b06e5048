/// How the daemon serves the AWS API: where it listens (`nil`: it does not) and whether callers
/// must sign with SigV4.
public struct APIOptions: Sendable, Equatable {
    public static let defaultListen = "127.0.0.1:4566"

    public var host: String?
    public var port: Int
    public var requireSignature: Bool

    /// `listen` is `HOST:PORT` or `off`.
    public init(listen: String = defaultListen, requireSignature: Bool = true) throws(APIOptionsError) {
        self.requireSignature = requireSignature
        if listen == "off" {
            host = nil
            port = 0
            return
        }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port),
              colon != listen.startIndex else {
            throw APIOptionsError.badListen(listen)
        }
        host = String(listen[..<colon])
        self.port = port
    }

    /// The `lbnet daemon` arguments that ask for these options.
    public var arguments: [String] {
        ["--api-listen", host.map { "\($0):\(port)" } ?? "off", "--api-auth", requireSignature ? "sigv4" : "none"]
    }
}

/// A bad `--api-listen`.
public enum APIOptionsError: Error, CustomStringConvertible {
    case badListen(String)

    public var description: String {
        switch self {
        case .badListen(let text): "--api-listen '\(text)' is not HOST:PORT (e.g. 127.0.0.1:4566) or 'off'"
        }
    }
}
