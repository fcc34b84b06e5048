/// The JSON document the built-in target server answers with: which instance served the
/// request and what the request looked like when it arrived there.
///
/// Example:
/// ```json
/// {"address":"10.0.1.10:8080","availabilityZone":"az-a","client":"10.0.1.4:40312",
///  "forwarded":{"for":"192.0.2.7","port":"80","proto":"http"},"host":"app.example",
///  "instance":"web-a","method":"GET","path":"/cart?id=1","via":["alb-az-a"]}
/// ```
public struct TargetEcho: Codable, Sendable, Equatable {
    /// The `X-Forwarded-*` headers of the request, each when present (keys follow RFC 7239).
    public struct Forwarded: Codable, Sendable, Equatable {
        /// `X-Forwarded-For`; several header lines are joined with `", "`.
        public var `for`: String?
        /// `X-Forwarded-Proto`.
        public var proto: String?
        /// `X-Forwarded-Port`.
        public var port: String?

        public init(for: String? = nil, proto: String? = nil, port: String? = nil) {
            self.for = `for`
            self.proto = proto
            self.port = port
        }
    }

    /// What the connection's PROXY protocol version 2 header carried.
    public struct ProxyProtocol: Codable, Sendable, Equatable {
        /// `PROXY` or `LOCAL`.
        public var command: String
        /// The client's address and port, `ip:port`.
        public var source: String?
        /// The address and port the client connected to, `ip:port`.
        public var destination: String?
        /// AWS's TLV `0xEA`: the VPC endpoint the connection came through.
        public var vpcEndpointId: String?

        public init(command: String, source: String? = nil, destination: String? = nil, vpcEndpointId: String? = nil) {
            self.command = command
            self.source = source
            self.destination = destination
            self.vpcEndpointId = vpcEndpointId
        }

        init(_ header: ProxyProtocolHeader) {
            self.init(command: header.command == .proxy ? "PROXY" : "LOCAL", source: header.source?.description,
                      destination: header.destination?.description, vpcEndpointId: header.vpcEndpointID)
        }
    }

    /// The configured instance name.
    public var instance: String
    /// The configured availability zone.
    public var availabilityZone: String
    /// The local address the connection arrived on, `ip:port`.
    public var address: String
    /// The peer address as the server saw it, `ip:port`.
    public var client: String
    /// The request's HTTP version as the server read it: `HTTP/1.1`, `HTTP/2.0`.
    public var httpVersion: String?
    /// The request method.
    public var method: String
    /// The request target exactly as received, query string included.
    public var path: String
    /// The `Host` header, when present.
    public var host: String?
    /// The forwarding headers of the request.
    public var forwarded: Forwarded
    /// The hop names from the request's `X-Lbnet-Via` headers, in order.
    public var via: [String]
    /// The connection's PROXY protocol header, when it started with one.
    public var proxyProtocol: ProxyProtocol?

    public init(
        instance: String, availabilityZone: String, address: String, client: String,
        method: String, path: String, host: String?, forwarded: Forwarded, via: [String],
        proxyProtocol: ProxyProtocol? = nil, httpVersion: String? = nil
    ) {
        self.httpVersion = httpVersion
        self.instance = instance
        self.availabilityZone = availabilityZone
        self.address = address
        self.client = client
        self.method = method
        self.path = path
        self.host = host
        self.forwarded = forwarded
        self.via = via
        self.proxyProtocol = proxyProtocol
    }
}
