import Kernel

extension StateFile {
    /// A network or application load balancer with one node per subnet it is enabled in.
    public struct LoadBalancer: Sendable, Equatable {
        public var name: String
        public var type: LoadBalancerType
        public var scheme: LoadBalancerScheme
        /// The subnets, when given by name; empty when `subnetMappings` is used.
        public var subnets: [String]
        /// The subnets with per-node choices; empty when `subnets` is used.
        public var subnetMappings: [SubnetMapping]
        /// Names of security groups of the load balancer's VPC. Empty: an application load balancer
        /// gets the VPC's `default` group, a network load balancer none (and no filtering).
        public var securityGroups: [String]
        /// Network load balancers with security groups: whether inbound rules apply to traffic
        /// arriving through PrivateLink (`nil` is AWS's default, `on`).
        public var enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: OnOff?
        /// Network load balancers only; `nil` means `auto`.
        public var datapath: Datapath?
        /// Network load balancers only; `nil` means `sh`.
        public var scheduler: Scheduler?
        public var attributes: [String: String]
        public var listeners: [Listener]

        public init(
            name: String, type: LoadBalancerType, scheme: LoadBalancerScheme = .internetFacing,
            subnets: [String] = [], subnetMappings: [SubnetMapping] = [], securityGroups: [String] = [],
            datapath: Datapath? = nil, scheduler: Scheduler? = nil, attributes: [String: String] = [:],
            listeners: [Listener] = [], enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: OnOff? = nil
        ) {
            self.name = name
            self.type = type
            self.scheme = scheme
            self.subnets = subnets
            self.subnetMappings = subnetMappings
            self.securityGroups = securityGroups
            self.datapath = datapath
            self.scheduler = scheduler
            self.attributes = attributes
            self.listeners = listeners
            self.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic = enforceSecurityGroupInboundRulesOnPrivateLinkTraffic
        }

        /// The subnet names the load balancer is enabled in, whichever of the two forms declared them.
        public var subnetNames: [String] {
            subnetMappings.isEmpty ? subnets : subnetMappings.map(\.subnetId)
        }
    }

    /// A subnet a load balancer is enabled in, optionally with its node's Elastic IP or private address.
    public struct SubnetMapping: Sendable, Equatable {
        public var subnetId: String
        /// The name of an entry in `elasticIps`.
        public var allocationId: String?
        public var privateIPv4Address: IPv4Address?

        public init(subnetId: String, allocationId: String? = nil, privateIPv4Address: IPv4Address? = nil) {
            self.subnetId = subnetId
            self.allocationId = allocationId
            self.privateIPv4Address = privateIPv4Address
        }
    }

    /// The kind of a load balancer.
    public enum LoadBalancerType: String, Sendable, Equatable, CaseIterable {
        case network
        case application
    }

    /// Whether a load balancer is reachable from the internet or only inside its VPC.
    public enum LoadBalancerScheme: String, Sendable, Equatable, CaseIterable {
        case internetFacing = "internet-facing"
        case `internal`
    }

    /// AWS's `on`/`off` switches (e.g. `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`).
    public enum OnOff: String, Sendable, Equatable, CaseIterable {
        case on
        case off
    }

    /// How a network load balancer's nodes forward packets.
    public enum Datapath: String, Sendable, Equatable, CaseIterable {
        case auto
        case ipvs
        case nftables
    }

    /// How a network load balancer node spreads flows over targets: source hashing or Maglev hashing.
    public enum Scheduler: String, Sendable, Equatable, CaseIterable {
        case sh
        case mh
    }
}
