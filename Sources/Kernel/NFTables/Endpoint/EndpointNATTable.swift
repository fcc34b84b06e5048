import CNetlink

/// The nftables table of a PrivateLink interface endpoint, `table ip lbnet_endpoint`, in the
/// endpoint's own namespace:
///
/// ```
/// table ip lbnet_endpoint {
///     chain prerouting { type nat hook prerouting priority dstnat; policy accept;
///         ip daddr <endpoint> tcp dport 80 dnat ip to <provider> comment "lbnet:forward tcp 80"
///     }
/// }
/// ```
///
/// The provider node sees the consumer's own address (which a proxy protocol header then names,
/// as AWS's does), and answers by the link the flow came in on, not by that address, so consumer
/// and provider VPCs may use the same addresses; replies come back through the endpoint, which
/// undoes its translation.
public enum EndpointNATTable {
    public static let name = "lbnet_endpoint"

    public static let chains = [
        NFTChainSpec(name: "prerouting", type: .nat, hook: .prerouting, priority: NFTChainSpec.destinationNATPriority),
    ]

    public static func desired(_ spec: EndpointNATSpec) throws(NFTablesError) -> NFTTableSpec {
        try validate(spec)
        let forwards = spec.ports.map { port in
            NFTRuleSpec(chain: "prerouting", purpose: "forward tcp \(port)", expressions:
                NFTMatch.ipDestination(spec.endpointAddress)
                + NFTMatch.layer4Protocol(NLBTransport.tcp.protocolNumber)
                + NFTMatch.transportDestinationPort(port)
                + [.immediate(data: spec.providerAddress.bytes, into: .register(1)),
                   .nat(.destination, address: .register(1), port: nil, flags: UInt32(NF_NAT_RANGE_MAP_IPS))])
        }
        return NFTTableSpec(name: name, chains: chains, maps: [], rules: forwards)
    }

    /// The batch that makes the kernel's table (`current`, as read back) match `spec`, or
    /// removes the table when `spec` is `nil`.
    public static func plan(_ spec: EndpointNATSpec?, current: NFTTableState?) throws(NFTablesError) -> NFTBatch {
        guard let spec else { return NFTPlanner.planRemoval(of: name, current: current) }
        return NFTPlanner.plan(try desired(spec), current: current)
    }

    /// Reads the table, plans and commits the difference atomically; sends nothing when the
    /// table already matches.
    @discardableResult
    public static func apply(_ spec: EndpointNATSpec?, using client: NFTablesNetlink) throws -> NFTApplyResult {
        try client.reconcile(table: name) { current in try plan(spec, current: current) }
    }

    private static func validate(_ spec: EndpointNATSpec) throws(NFTablesError) {
        if let port = spec.ports.first(where: { $0 == 0 }) {
            throw .invalidSpec("endpoint NAT \(spec.endpointAddress): port \(port) cannot be forwarded")
        }
        if Set(spec.ports).count != spec.ports.count {
            throw .invalidSpec("endpoint NAT \(spec.endpointAddress): a port is listed twice in \(spec.ports)")
        }
    }
}
