/// A target as requests and health checks reach it: where it is and how much it should get.
public struct TargetEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Identifies a target within its group: `address:port`, whether it is spoken to over TLS
    /// (an HTTPS target group's) and in HTTP/2 (an `HTTP2` group's), so connections to it are
    /// pooled apart.
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        public var address: String
        public var port: Int
        public var tls: Bool
        public var http2: Bool

        public init(address: String, port: Int, tls: Bool = false, http2: Bool = false) {
            self.address = address
            self.port = port
            self.tls = tls
            self.http2 = http2
        }

        /// `ip:port`, `[ip]:port` for IPv6, as ALB access logs write targets.
        public var description: String {
            address.utf8.contains(UInt8(ascii: ":")) ? "[\(address)]:\(port)" : "\(address):\(port)"
        }
    }

    public let key: Key
    /// The configured id, or `address:port`.
    public var id: String
    public var availabilityZone: String
    public var weight: Int
    /// `address:port` (``Key/description``), made once: every request's access log entry names it.
    public let description: String

    public var address: String { key.address }
    public var port: Int { key.port }

    public init(key: Key, id: String? = nil, availabilityZone: String, weight: Int = 1) {
        self.key = key
        description = key.description
        self.id = id ?? description
        self.availabilityZone = availabilityZone
        self.weight = weight
    }

    /// The endpoint of a configured target of `group`.
    init(_ target: TargetConfiguration, in group: TargetGroupConfiguration) {
        self.init(
            key: Key(address: target.address, port: target.port ?? group.port, tls: group.protocol == .https,
                     http2: group.protocolVersion == .http2),
            id: target.id, availabilityZone: target.availabilityZone, weight: target.weight
        )
    }
}
