/// The port a health check probes: each target's traffic port (AWS `traffic-port`), or a fixed one.
public enum HealthCheckPort: Sendable, Hashable, CustomStringConvertible {
    case trafficPort
    case port(Int)

    /// Parses `traffic-port` or a port number written in decimal digits; nil otherwise (the
    /// range is the caller's to check).
    public init?(_ text: String) {
        if text == Self.trafficPort.description {
            self = .trafficPort
        } else if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text) {
            self = .port(port)
        } else {
            return nil
        }
    }

    /// The port a check of a target listening on `trafficPort` goes to.
    public func resolved(trafficPort: Int) -> Int {
        switch self {
        case .trafficPort: trafficPort
        case .port(let port): port
        }
    }

    public var description: String {
        switch self {
        case .trafficPort: "traffic-port"
        case .port(let port): String(port)
        }
    }
}
