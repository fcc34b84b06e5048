import L7Proxy

/// The TLS terminator of an NLB node with `TLS` listeners: an `lbnet proxy` process in the
/// node's namespace whose `TLS` listeners terminate the clients' TLS with the listener's
/// certificates, security policy and ALPN policy, then relay each connection to the node's own
/// address and the listener's port over a socket carrying the listener's firewall ``mark(port:)``,
/// which the node's datapath (nftables or IPVS) balances like a `TCP` listener's flows. Toward
/// a `TLS` target group the relay speaks TLS of its own.
public enum TLSTerminator {
    /// AWS's idle timeout of TLS listeners' connections, which cannot be changed.
    public static let idleTimeoutSeconds = 350

    /// The firewall mark of the terminator's connections for the listener on `port`: `LB`
    /// (0x4c42) in the upper half, the port in the lower one.
    public static func mark(port: Int) -> UInt32 { 0x4c42_0000 | UInt32(UInt16(truncatingIfNeeded: port)) }

    /// The terminator's configuration for `node`, without the certificates' material (the
    /// deployment adds it); nil when the node's load balancer has no `TLS` listener.
    static func configuration(for node: NetworkLoadBalancerNode, in file: StateFile) -> ProxyConfiguration? {
        guard let balancer = file.loadBalancers.first(where: { $0.name == node.loadBalancer }) else { return nil }
        let listeners = balancer.listeners.filter { $0.protocol == .tls }.map { listener in
            let group = listener.defaultActions.first?.forwardTargets.first.flatMap { forward in
                file.targetGroups.first { $0.name == forward.targetGroupName }
            }
            return ListenerConfiguration(
                address: "0.0.0.0", port: listener.port, protocol: .tls, defaultActions: [],
                sslPolicy: listener.sslPolicy ?? SSLPolicy.defaultName, certificates: listener.certificates,
                alpnPolicy: listener.alpnPolicy.flatMap(ALPNPolicy.init(rawValue:)) ?? ALPNPolicy.none,
                relay: TLSRelayConfiguration(address: node.host.address.address.description, port: listener.port,
                                             mark: mark(port: listener.port), targetTLS: group?.protocol == .tls))
        }
        guard !listeners.isEmpty else { return nil }
        return ProxyConfiguration(nodeName: node.name, availabilityZone: node.availabilityZone, idleTimeoutSeconds: idleTimeoutSeconds,
                                  listeners: listeners, targetGroups: [],
                                  loadBalancerArn: AWSIdentity().loadBalancerArn(balancer.name, type: .network))
    }
}
