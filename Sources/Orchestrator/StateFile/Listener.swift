extension StateFile {
    /// A port and protocol a load balancer accepts connections on, with what to do with them.
    public struct Listener: Sendable, Equatable {
        public var `protocol`: TrafficProtocol
        public var port: Int
        public var defaultActions: [Action]
        /// Application load balancers only.
        public var rules: [ListenerRule]
        /// HTTPS and TLS listeners: AWS's security policy name; `nil` means AWS's default.
        public var sslPolicy: String?
        /// HTTPS and TLS listeners: names from the `certificates` section; the first is the default.
        public var certificates: [String]
        /// TLS listeners: AWS's ALPN policy name (`HTTP1Only`, `HTTP2Only`, `HTTP2Optional`,
        /// `HTTP2Preferred`, `None`); `nil` means `None`.
        public var alpnPolicy: String?
        /// AWS listener attribute names to their values as text, e.g. `tcp.idle_timeout.seconds`.
        public var attributes: [String: String]
        /// The last part of the listener's ARN (16 hex digits), kept once its port changed through
        /// the API; without it the ARN derives from the load balancer and the port.
        public var id: String?

        public init(
            protocol: TrafficProtocol, port: Int, defaultActions: [Action], rules: [ListenerRule] = [],
            sslPolicy: String? = nil, certificates: [String] = [], alpnPolicy: String? = nil, attributes: [String: String] = [:],
            id: String? = nil
        ) {
            self.protocol = `protocol`
            self.port = port
            self.defaultActions = defaultActions
            self.rules = rules
            self.sslPolicy = sslPolicy
            self.certificates = certificates
            self.alpnPolicy = alpnPolicy
            self.attributes = attributes
            self.id = id
        }
    }

    /// A protocol of a listener or target group (AWS's `ProtocolEnum`).
    public enum TrafficProtocol: String, Sendable, Equatable, CaseIterable {
        case http = "HTTP"
        case https = "HTTPS"
        case tcp = "TCP"
        case udp = "UDP"
        case tcpUDP = "TCP_UDP"
        case tls = "TLS"

        /// The load balancer type whose listeners and target groups use this protocol.
        public var loadBalancerType: LoadBalancerType {
            switch self {
            case .http, .https: .application
            case .tcp, .udp, .tcpUDP, .tls: .network
            }
        }

        /// Whether listeners of this protocol terminate TLS (and so have certificates and a
        /// security policy).
        public var terminatesTLS: Bool { self == .https || self == .tls }

        /// The target group protocols a listener of this protocol can forward to.
        public var forwardableTargetGroupProtocols: [TrafficProtocol] {
            switch self {
            case .http, .https: [.http, .https]
            case .tcp: [.tcp, .tcpUDP]
            case .udp: [.udp, .tcpUDP]
            case .tcpUDP: [.tcpUDP]
            case .tls: [.tcp, .tls]
            }
        }
    }
}
