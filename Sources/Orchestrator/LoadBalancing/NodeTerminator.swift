import L7Proxy

/// The terminator of an NLB node: an `lbnet proxy` process in the node's namespace that ends
/// the clients' connections of the listeners the kernel cannot serve alone, and relays each to
/// the node's own address and the listener's port over a socket carrying the listener's
/// firewall ``mark(port:)``, which the node's datapath (nftables or IPVS) balances like a `TCP`
/// listener's flows. Those listeners are `TLS` listeners (it terminates the clients' TLS with
/// the listener's certificates, security policy and ALPN policy; toward a `TLS` target group
/// the relay speaks TLS of its own) and listeners whose target group has
/// `proxy_protocol_v2.enabled` (each relayed connection starts with a PROXY protocol v2
/// header naming the client and, through an interface endpoint, the VPC endpoint). The relay
/// connects from the client's address (a transparent socket; the ``TerminatorReturnPath``
/// brings the answers back to it), so the kernel balances, hashes and sticks the relayed flows
/// by the client as it does the flows it balances alone, and the datapath decides what the
/// target sees: the client, or the node's address where the group does not preserve it (the
/// listener's masquerade rule). PrivateLink connections are relayed from the node's address.
public enum NodeTerminator {
    /// AWS's idle timeout of TLS listeners' connections, which cannot be changed.
    public static let idleTimeoutSeconds = 350

    /// The firewall mark of the terminator's connections for the listener on `port`: `LB`
    /// (0x4c42) in the upper half, the port in the lower one.
    public static func mark(port: Int) -> UInt32 { 0x4c42_0000 | UInt32(UInt16(truncatingIfNeeded: port)) }

    /// The terminator's configuration for `node`, without the certificates' material (the
    /// deployment adds it); nil when the node has no listener to terminate.
    static func configuration(for node: NetworkLoadBalancerNode, in file: StateFile) -> ProxyConfiguration? {
        guard let balancer = file.loadBalancers.first(where: { $0.name == node.loadBalancer }) else { return nil }
        let terminated = Dictionary(node.listeners.filter(\.isTerminated).map { ($0.port, $0) }, uniquingKeysWith: { first, _ in first })
        let vpcEndpoints = Dictionary(node.endpointConnections.filter(\.isAvailable).map {
            ($0.transit.providerSide.address.description, $0.endpoint)
        }, uniquingKeysWith: { first, _ in first })
        let listeners = balancer.listeners.compactMap { listener -> ListenerConfiguration? in
            guard let seen = terminated[listener.port] else { return nil }
            let group = file.targetGroups.first { $0.name == seen.targetGroup }
            let relay = RelayConfiguration(address: node.host.address.address.description, port: listener.port,
                                           mark: mark(port: listener.port), targetTLS: group?.protocol == .tls,
                                           proxyProtocol: seen.proxyProtocol, vpcEndpoints: vpcEndpoints,
                                           transparent: true)
            guard listener.protocol == .tls else {
                return ListenerConfiguration(address: "0.0.0.0", port: listener.port, protocol: .tcp, defaultActions: [], relay: relay)
            }
            return ListenerConfiguration(
                address: "0.0.0.0", port: listener.port, protocol: .tls, defaultActions: [],
                sslPolicy: listener.sslPolicy ?? SSLPolicy.defaultName, certificates: listener.certificates,
                alpnPolicy: listener.alpnPolicy.flatMap(ALPNPolicy.init(rawValue:)) ?? ALPNPolicy.none, relay: relay)
        }
        guard !listeners.isEmpty else { return nil }
        // A relayed TCP listener's connections live as long as its flows would (the node's
        // `tcp.idle_timeout.seconds`); TLS listeners alone keep AWS's fixed 350 s.
        let idleTimeout = listeners.contains { $0.protocol == .tcp } ? Int(node.tcpIdleTimeout) : idleTimeoutSeconds
        return ProxyConfiguration(nodeName: node.name, availabilityZone: node.availabilityZone, idleTimeoutSeconds: idleTimeout,
                                  listeners: listeners, targetGroups: [],
                                  loadBalancerArn: AWSIdentity().loadBalancerArn(balancer.name, type: .network))
    }
}
