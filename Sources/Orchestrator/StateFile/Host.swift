import Kernel

extension Topology {
    /// A machine with one interface in one subnet: an instance, a load balancer node or an endpoint.
    public struct Host: Sendable, Equatable {
        public var name: String
        public var kind: HostKind
        public var vpc: String
        public var subnet: String
        public var az: String
        /// The host's address with its subnet's prefix, e.g. `10.0.1.11/24`.
        public var address: IPv4Interface
        public var gateway: IPv4Address
        /// What the host runs; set for instances.
        public var run: HostProcess?

        public init(
            name: String, kind: HostKind, vpc: String, subnet: String, az: String, address: IPv4Interface,
            gateway: IPv4Address, run: HostProcess? = nil
        ) {
            self.name = name
            self.kind = kind
            self.vpc = vpc
            self.subnet = subnet
            self.az = az
            self.address = address
            self.gateway = gateway
            self.run = run
        }
    }

    /// What a host is.
    public enum HostKind: Sendable, Equatable, CustomStringConvertible {
        case instance
        case loadBalancerNode(loadBalancer: String)
        case endpoint(service: String)

        /// `instance`, `node of web-nlb`, `endpoint of web-svc`.
        public var description: String {
            switch self {
            case .instance: "instance"
            case .loadBalancerNode(let loadBalancer): "node of \(loadBalancer)"
            case .endpoint(let service): "endpoint of \(service)"
            }
        }
    }
}

/// The process a host runs.
public enum HostProcess: Sendable, Equatable {
    /// lbnet's own target server, listening on `port`, serving HTTPS when `tls` is set.
    case builtinTarget(port: Int, tls: Bool = false)
    /// A command line, run as is.
    case command([String])
    /// An instance's user data: a shell script, run once per start as an unprivileged user.
    case userData(UserDataScript)
}
