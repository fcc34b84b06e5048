import CNetlink

/// The nftables table of a VPC router doing 1:1 NAT for Elastic IPs, `table ip lbnet_gateway`:
///
/// ```
/// table ip lbnet_gateway {
///     map eip_to_private { type ipv4_addr : ipv4_addr; }
///     map private_to_eip { type ipv4_addr : ipv4_addr; }
///     chain prerouting { type nat hook prerouting priority dstnat; policy accept;
///         dnat ip to ip daddr map @eip_to_private comment "lbnet:dnat elastic ips"
///     }
///     chain postrouting { type nat hook postrouting priority srcnat; policy accept;
///         oifname "<igw>" snat ip to ip saddr map @private_to_eip comment "lbnet:snat elastic ips"
///     }
/// }
/// ```
///
/// Associating or releasing an Elastic IP only changes map elements. Addresses without a
/// mapping miss the lookup and pass untranslated.
public enum GatewayNATTable {
    public static let name = "lbnet_gateway"
    public static let elasticToPrivateMap = "eip_to_private"
    public static let privateToElasticMap = "private_to_eip"

    public static let chains = [
        NFTChainSpec(name: "prerouting", type: .nat, hook: .prerouting, priority: NFTChainSpec.destinationNATPriority),
        NFTChainSpec(name: "postrouting", type: .nat, hook: .postrouting, priority: NFTChainSpec.sourceNATPriority),
    ]

    public static func desired(_ spec: ElasticIPNATSpec) throws(NFTablesError) -> NFTTableSpec {
        try validate(spec)
        func map(_ name: String, _ pairs: [(IPv4Address, IPv4Address)]) -> NFTMapSpec {
            NFTMapSpec(definition: NFTMapDefinition(name: name, key: .ipv4Address, value: .ipv4Address),
                       elements: Dictionary(uniqueKeysWithValues: pairs.map { ($0.bytes, $1.bytes) }))
        }
        let nat = UInt32(NF_NAT_RANGE_MAP_IPS)
        return NFTTableSpec(
            name: name, chains: chains,
            maps: [map(elasticToPrivateMap, spec.mappings.map { ($0.elasticIP, $0.privateAddress) }),
                   map(privateToElasticMap, spec.mappings.map { ($0.privateAddress, $0.elasticIP) })],
            rules: [
                NFTRuleSpec(chain: "prerouting", purpose: "dnat elastic ips", expressions: [
                    .payload(.network, offset: NFTMatch.ipv4DestinationOffset, length: 4, into: .register(1)),
                    .lookup(.register(1), set: elasticToPrivateMap, into: .register(1)),
                    .nat(.destination, address: .register(1), port: nil, flags: nat),
                ]),
                NFTRuleSpec(chain: "postrouting", purpose: "snat elastic ips", expressions: NFTMatch.outputInterface(spec.internetInterface) + [
                    .payload(.network, offset: NFTMatch.ipv4SourceOffset, length: 4, into: .register(1)),
                    .lookup(.register(1), set: privateToElasticMap, into: .register(1)),
                    .nat(.source, address: .register(1), port: nil, flags: nat),
                ]),
            ])
    }

    public static func plan(_ spec: ElasticIPNATSpec, current: NFTTableState?) throws(NFTablesError) -> NFTBatch {
        NFTPlanner.plan(try desired(spec), current: current)
    }

    /// Reads the table, plans and commits the difference atomically; sends nothing when the
    /// table already matches.
    @discardableResult
    public static func apply(_ spec: ElasticIPNATSpec, using client: NFTablesNetlink) throws -> NFTApplyResult {
        try client.reconcile(table: name) { current in try plan(spec, current: current) }
    }

    /// Deletes the table if it exists.
    @discardableResult
    public static func remove(using client: NFTablesNetlink) throws -> NFTApplyResult {
        try client.reconcile(table: name) { NFTPlanner.planRemoval(of: name, current: $0) }
    }

    /// The Elastic IP mappings in a read-back table (from `eip_to_private`).
    public static func mappings(in table: NFTTableState) -> [ElasticIPMapping] {
        guard let map = table.map(elasticToPrivateMap) else { return [] }
        return map.elements.compactMap { key, value in
            guard let elasticIP = IPv4Address(bytes: key), let privateAddress = IPv4Address(bytes: value) else { return nil }
            return ElasticIPMapping(elasticIP: elasticIP, privateAddress: privateAddress)
        }.sorted()
    }

    private static func validate(_ spec: ElasticIPNATSpec) throws(NFTablesError) {
        let interface = spec.internetInterface
        guard !interface.isEmpty, interface.utf8.count < 16, !interface.utf8.contains(0) else {
            throw .invalidSpec("gateway NAT: internet gateway interface name \"\(interface)\" must have 1 to 15 bytes")
        }
        var elasticIPs: Set<IPv4Address> = []
        var privateAddresses: Set<IPv4Address> = []
        for mapping in spec.mappings {
            guard elasticIPs.insert(mapping.elasticIP).inserted else {
                throw .invalidSpec("gateway NAT: Elastic IP \(mapping.elasticIP) is mapped twice")
            }
            guard privateAddresses.insert(mapping.privateAddress).inserted else {
                throw .invalidSpec("gateway NAT: private address \(mapping.privateAddress) has two Elastic IPs")
            }
        }
    }
}
