import Kernel

/// What one NLB node's L4 datapath must hold: per listener, the backends with their weights,
/// on the node's private address and its PrivateLink transit addresses. Weight 0 means draining (or unhealthy): no new flows, existing
/// ones continue.
public struct NodeDatapathSpec: Sendable, Equatable {
    public let node: String
    public let namespace: String
    public let virtualAddress: IPv4Address
    /// Further addresses the listeners serve: the node's ends of available endpoints' transit links.
    public let additionalAddresses: [IPv4Address]
    /// `ipvs` or `nftables`, never `auto`.
    public let datapath: StateFile.Datapath
    public let scheduler: StateFile.Scheduler
    public var listeners: [Listener]
    /// Seconds an idle TCP flow lives (the listeners' `tcp.idle_timeout.seconds`, one per node).
    public var tcpIdleTimeout: UInt32 = NetworkLoadBalancerNode.defaultTCPIdleTimeout

    public enum TransportProtocol: String, Sendable, Hashable {
        case tcp, udp

        /// The same protocol as nftables tables name it.
        var transport: NLBTransport { self == .tcp ? .tcp : .udp }
    }

    /// One virtual service: a protocol and port on the node's addresses.
    public struct Listener: Sendable, Equatable {
        public let `protocol`: TransportProtocol
        public let port: UInt16
        public var backends: [Backend]
        /// Source-IP stickiness: flows are placed by the client's address alone.
        public var sourceIPStickiness = false
        /// A terminated listener's (TLS, or proxy protocol): clients reach the node's terminator, and only the terminator's
        /// connections, which carry this firewall mark, are balanced.
        public var terminatorMark: UInt32?
        /// Targets see the client's address: the node does not source-NAT the listener's flows
        /// to its private address (PrivateLink flows still are, as on AWS).
        public var preservesClientAddress = false
    }

    /// Whether the node's terminator relays a listener: it connects from clients' addresses,
    /// so the answers need the ``TerminatorReturnPath``.
    var hasTerminatedListeners: Bool {
        listeners.contains { $0.terminatorMark != nil }
    }

    /// A backend (target address and port) with its weight.
    public struct Backend: Sendable, Hashable {
        public let address: IPv4Address
        public let port: UInt16
        public let weight: UInt32
        /// Unhealthy in a group that terminates the flows of unhealthy targets: its flows are
        /// cut (IPVS: it leaves the service; nftables: its conntrack entries are deleted).
        public var flowsCut = false
    }

    public init(node: String, namespace: String, virtualAddress: IPv4Address, additionalAddresses: [IPv4Address] = [],
                datapath: StateFile.Datapath, scheduler: StateFile.Scheduler, listeners: [Listener]) {
        self.node = node
        self.namespace = namespace
        self.virtualAddress = virtualAddress
        self.additionalAddresses = additionalAddresses
        self.datapath = datapath
        self.scheduler = scheduler
        self.listeners = listeners
    }

    /// The spec of `node` on `datapath` (`ipvs` or `nftables`, resolved for this kernel): TCP
    /// and UDP listeners (TCP_UDP gives both; TLS is TCP from the node's terminator); backends out of rotation by `health` (unhealthy,
    /// or not yet healthy while others are) and those that drain have weight 0.
    public init(node: NetworkLoadBalancerNode, namespace: String, datapath: StateFile.Datapath, draining: [DrainingBackend] = [],
                health: HealthRecord = HealthRecord()) {
        var listeners: [Listener] = []
        for listener in node.listeners {
            let protocols: [TransportProtocol] = switch listener.protocol {
            case .tcp, .tls: [.tcp]
            case .udp: [.udp]
            case .tcpUDP: [.tcp, .udp]
            case .http, .https: []
            }
            let rotation = health.inRotation(node: node.name, candidates: listener.backends.map(\.key))
            var backends = listener.backends.map {
                Backend(address: $0.address, port: UInt16($0.port), weight: rotation.contains($0.key) ? 1 : 0,
                        flowsCut: listener.unhealthyTermination && !rotation.contains($0.key)
                            && health.nodes[node.name]?[$0.key]?.state == .unhealthy)
            }
            for drain in draining where drain.listenerPort == listener.port
                && !backends.contains(where: { $0.address == drain.address && $0.port == drain.port }) {
                backends.append(Backend(address: drain.address, port: drain.port, weight: 0))
            }
            listeners += protocols.map {
                Listener(protocol: $0, port: UInt16(listener.port), backends: backends, sourceIPStickiness: listener.sourceIPStickiness,
                         terminatorMark: listener.isTerminated && $0 == .tcp ? NodeTerminator.mark(port: listener.port) : nil,
                         preservesClientAddress: listener.preservesClientAddress)
            }
        }
        self.init(node: node.name, namespace: namespace, virtualAddress: node.host.address.address,
                  additionalAddresses: node.endpointConnections.filter(\.isAvailable).map(\.transit.providerSide.address),
                  datapath: datapath, scheduler: node.scheduler, listeners: listeners)
        tcpIdleTimeout = UInt32(node.tcpIdleTimeout)
    }
}

/// A target removed from the file that still carries its existing flows until `deadline`.
public struct DrainingBackend: Codable, Sendable, Hashable {
    public init(node: String, listenerPort: Int, address: IPv4Address, port: UInt16, targetId: String, deadline: Double) {
        self.node = node
        self.listenerPort = listenerPort
        self.address = address
        self.port = port
        self.targetId = targetId
        self.deadline = deadline
    }

    public let node: String
    public let listenerPort: Int
    public let address: IPv4Address
    public let port: UInt16
    public let targetId: String
    public let deadline: Double

    /// The same drain with another deadline.
    func until(_ deadline: Double) -> DrainingBackend {
        DrainingBackend(node: node, listenerPort: listenerPort, address: address, port: port, targetId: targetId, deadline: deadline)
    }
}
