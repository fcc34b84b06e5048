import CNetlink

/// The nftables table of an NLB node, `table ip lbnet_nlb`, in the node's own namespace (one
/// DNAT rule per listener and address when the node has further addresses):
///
/// ```
/// table ip lbnet_nlb {
///     map backends_tcp_80 { type mark : ipv4_addr . inet_service; elements = { 0x00000000 : 10.0.1.11 . 8080, ... } }
///     chain prerouting { type nat hook prerouting priority dstnat; policy accept;
///         ip daddr <node> tcp dport 80 counter dnat ip to jhash ip saddr . tcp sport mod 256 seed <seed> map @backends_tcp_80 comment "lbnet:dnat tcp 80"
///     }
///     chain output { type nat hook output priority -100; policy accept; <the same dnat rules> }
///     chain postrouting { type nat hook postrouting priority srcnat; policy accept;
///         ct status dnat ct original ip daddr <node> meta l4proto tcp ct original proto-dst 80 masquerade comment "lbnet:masquerade tcp 80"
///         ct status dnat ct original ip daddr != <node> masquerade comment "lbnet:masquerade PrivateLink flows"
///     }
///     chain forward { type filter hook forward priority filter; policy accept;
///         ct status dnat counter comment "lbnet:processed bytes"
///         ct status dnat ct direction original tcp flags rst counter comment "lbnet:client resets"
///         ct status dnat ct direction reply tcp flags rst counter comment "lbnet:target resets"
///     }
/// }
/// ```
///
/// Each listener has 256 slots (see `SlotTable`); a flow's slot is the Jenkins hash of the
/// client's address and port, and the slot's map value is the backend's address and port, so
/// one lookup gives the DNAT target. Backend changes only change map elements, never rules. A
/// slot missing from the map (no backend with weight) drops the flow. The `output` chain
/// balances connections made from inside the node's namespace; masquerading balanced flows
/// makes backends answer through the node, which undoes the translation. A listener that
/// preserves the client's address has no masquerade rule: its backends see the client, and
/// the VPC's routing brings their answers back to the node (the orchestrator's return path).
/// Flows to the node's further addresses (PrivateLink) are always masqueraded, as on AWS. A listener with a
/// terminator (an NLB TLS listener) has only its `output` rule, which also matches the
/// terminator's mark (`meta mark M ip daddr ...`): clients' flows reach the terminator, and
/// the terminator's own connections are balanced.
///
/// The counters are the node's metrics: a `nat` chain sees only the first packet of a flow, so
/// the DNAT rules' packet counts are the flows balanced (`NewFlowCount`); the `forward` chain
/// counts every packet of balanced flows both ways, headers included (`ProcessedBytes`), and
/// the TCP resets sent by clients (`TCP_Client_Reset_Count`) and by targets
/// (`TCP_Target_Reset_Count`).
public enum NLBNodeTable {
    public static let name = "lbnet_nlb"
    /// The purpose (comment) of the rule whose bytes are the node's `ProcessedBytes`.
    public static let processedBytesPurpose = "processed bytes"
    /// The purposes of the rules counting TCP resets from clients and from targets.
    public static let clientResetsPurpose = "client resets"
    public static let targetResetsPurpose = "target resets"
    /// The purposes of the DNAT rules start with this; their packets are new flows.
    public static let dnatPurposePrefix = "dnat "

    /// Slot number (host byte order) to backend address and port.
    public static let mapKey = NFTDataType.mark
    public static let mapValue = NFTDataType.concatenation([.ipv4Address, .inetService])

    public static let chains = [
        NFTChainSpec(name: "prerouting", type: .nat, hook: .prerouting, priority: NFTChainSpec.destinationNATPriority),
        NFTChainSpec(name: "output", type: .nat, hook: .output, priority: -100),
        NFTChainSpec(name: "postrouting", type: .nat, hook: .postrouting, priority: NFTChainSpec.sourceNATPriority),
        NFTChainSpec(name: "forward", type: .filter, hook: .forward, priority: 0),
    ]

    /// The table for `spec`. Slots keep their backends from `current` where they can, so
    /// changes to backends move as few flows as possible.
    public static func desired(_ spec: NLBNodeSpec, current: NFTTableState?) throws(NFTablesError) -> NFTTableSpec {
        try validate(spec)
        var maps: [NFTMapSpec] = []
        var rules: [NFTRuleSpec] = []
        for listener in spec.listeners {
            let slots = SlotTable.fill(backends: listener.backends, previous: current.map { slotsOf(listener, in: $0) } ?? [:])
            let definition = NFTMapDefinition(name: listener.mapName, key: mapKey, value: mapValue)
            maps.append(NFTMapSpec(definition: definition, elements: Dictionary(uniqueKeysWithValues: slots.map { slot, endpoint in
                (slotKey(slot), endpointValue(endpoint))
            })))
            // A terminated listener's clients reach the terminator: only its marked connections are balanced.
            for chain in listener.terminatorMark == nil ? ["prerouting", "output"] : ["output"] {
                for address in spec.addresses {
                    rules.append(NFTRuleSpec(chain: chain, purpose: dnatPurpose(listener, address: address, of: spec),
                                             expressions: dnatExpressions(listener, address: address, seed: spec.seed)))
                }
            }
        }
        let dnat = NFTMatch.conntrackStatus(NFTMatch.conntrackStatusDestinationNAT)
        for listener in spec.listeners where !listener.preservesClientAddress {
            rules.append(NFTRuleSpec(chain: "postrouting", purpose: "masquerade \(listener.transport.rawValue) \(listener.port)",
                                     expressions: dnat + masqueradeMatch(listener, address: spec.address) + [.masquerade]))
        }
        if !spec.additionalAddresses.isEmpty {
            rules.append(NFTRuleSpec(chain: "postrouting", purpose: "masquerade PrivateLink flows",
                                     expressions: dnat + NFTMatch.conntrackOriginalDestination(not: spec.address) + [.masquerade]))
        }
        rules.append(NFTRuleSpec(chain: "forward", purpose: processedBytesPurpose,
                                 expressions: NFTMatch.conntrackStatus(NFTMatch.conntrackStatusDestinationNAT) + [.counter]))
        for (purpose, reply) in [(clientResetsPurpose, false), (targetResetsPurpose, true)] {
            rules.append(NFTRuleSpec(chain: "forward", purpose: purpose, expressions:
                NFTMatch.conntrackStatus(NFTMatch.conntrackStatusDestinationNAT) + NFTMatch.conntrackDirection(reply: reply)
                    + NFTMatch.layer4Protocol(6) + NFTMatch.tcpReset + [.counter]))
        }
        return NFTTableSpec(name: name, chains: chains, maps: maps, rules: rules)
    }

    /// The batch that makes the kernel's table (`current`, as read back) match `spec`.
    public static func plan(_ spec: NLBNodeSpec, current: NFTTableState?) throws(NFTablesError) -> NFTBatch {
        NFTPlanner.plan(try desired(spec, current: current), current: current)
    }

    /// Reads the table, plans and commits the difference atomically; sends nothing when the
    /// table already matches.
    @discardableResult
    public static func apply(_ spec: NLBNodeSpec, using client: NFTablesNetlink) throws -> NFTApplyResult {
        try client.reconcile(table: name) { current in try plan(spec, current: current) }
    }

    /// Deletes the table (and with it every rule and map) if it exists.
    @discardableResult
    public static func remove(using client: NFTablesNetlink) throws -> NFTApplyResult {
        try client.reconcile(table: name) { NFTPlanner.planRemoval(of: name, current: $0) }
    }

    /// The slots of `listener`'s map in a read-back table (empty if the map is missing or has
    /// other types).
    public static func slotsOf(_ listener: NLBListener, in table: NFTTableState) -> [UInt32: NLBEndpoint] {
        guard let map = table.map(listener.mapName), map.definition.key == mapKey, map.definition.value == mapValue else { return [:] }
        var slots: [UInt32: NLBEndpoint] = [:]
        for (key, value) in map.elements {
            guard let slot = slot(fromKey: key), let endpoint = endpoint(fromValue: value) else { continue }
            slots[slot] = endpoint
        }
        return slots
    }

    /// The tag of a listener's DNAT rule for one address: `dnat tcp 80` on the private address,
    /// `dnat tcp 80 on 100.65.0.1` on a further one.
    static func dnatPurpose(_ listener: NLBListener, address: IPv4Address, of spec: NLBNodeSpec) -> String {
        let purpose = "\(dnatPurposePrefix)\(listener.transport.rawValue) \(listener.port)"
        return address == spec.address ? purpose : "\(purpose) on \(address)"
    }

    /// TCP rules match only a handshake's first packet (`tcp flags & (fin|syn|rst|ack) == syn`):
    /// a packet of a flow conntrack no longer knows (expired, or cut) is not balanced but
    /// reaches the node, whose stack resets it, as AWS resets the next packet of an expired flow.
    ///
    /// `ip daddr A <proto> dport P counter dnat ip to jhash ip saddr . <proto> sport mod 256
    /// seed S map @backends_<proto>_<P>`, compiled as nft does: the hash reads the source
    /// address and port from adjacent words, the map value (address, then port padded to 4
    /// bytes) lands in word 0 and 1, and `nat` takes the address and the port from there.
    /// With ``NLBAffinity/sourceAddress`` the hash reads the address alone: `jhash ip saddr`.
    static func dnatExpressions(_ listener: NLBListener, address: IPv4Address, seed: UInt32) -> [NFTExpression] {
        let hashed: [NFTExpression] = switch listener.affinity {
        case .flow: [.payload(.network, offset: NFTMatch.ipv4SourceOffset, length: 4, into: .register(2)),
                     .payload(.transport, offset: 0, length: 2, into: .word(5))]
        case .sourceAddress: [.payload(.network, offset: NFTMatch.ipv4SourceOffset, length: 4, into: .register(2))]
        }
        return (listener.terminatorMark.map(NFTMatch.mark) ?? [])
            + NFTMatch.ipDestination(address)
            + NFTMatch.layer4Protocol(listener.transport.protocolNumber)
            + NFTMatch.transportDestinationPort(listener.port)
            + (listener.transport == .tcp ? NFTMatch.tcpSYN : [])
            + [.counter] + hashed
            + [.jenkinsHash(.register(2), length: listener.affinity == .flow ? 8 : 4, modulus: UInt32(SlotTable.slotCount),
                            seed: seed, offset: 0, into: .register(1)),
               .lookup(.register(1), set: listener.mapName, into: .register(1)),
               .nat(.destination, address: .register(1), port: .word(1),
                    flags: UInt32(NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED))]
    }

    /// `ct original ip daddr <address> meta l4proto <transport> ct original proto-dst <port>`:
    /// the flows a client opened to the listener on `address`.
    public static func masqueradeMatch(_ listener: NLBListener, address: IPv4Address) -> [NFTExpression] {
        NFTMatch.conntrackOriginalDestination(address, protocol: listener.transport.protocolNumber, port: listener.port)
    }

    /// A slot as a map key: the hash result's register bytes, host byte order.
    static func slotKey(_ slot: UInt32) -> [UInt8] { withUnsafeBytes(of: slot, Array.init) }

    static func slot(fromKey key: [UInt8]) -> UInt32? {
        guard key.count == 4 else { return nil }
        return key.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    }

    /// An endpoint as a map value: address, then port in network order padded to 4 bytes.
    static func endpointValue(_ endpoint: NLBEndpoint) -> [UInt8] {
        endpoint.address.bytes + [UInt8(endpoint.port >> 8), UInt8(endpoint.port & 0xff), 0, 0]
    }

    static func endpoint(fromValue value: [UInt8]) -> NLBEndpoint? {
        guard value.count == 8, let address = IPv4Address(bytes: value[0..<4]) else { return nil }
        return NLBEndpoint(address: address, port: UInt16(value[4]) << 8 | UInt16(value[5]))
    }

    private static func validate(_ spec: NLBNodeSpec) throws(NFTablesError) {
        if let twice = spec.addresses.first(where: { address in spec.addresses.filter { $0 == address }.count > 1 }) {
            throw .invalidSpec("NLB node \(spec.address): address \(twice) is listed twice")
        }
        var seen: Set<String> = []
        for listener in spec.listeners {
            guard listener.port != 0 else { throw .invalidSpec("NLB node \(spec.address): listener \(listener.transport.rawValue) port 0") }
            guard seen.insert(listener.mapName).inserted else {
                throw .invalidSpec("NLB node \(spec.address): two \(listener.transport.rawValue) listeners on port \(listener.port)")
            }
            if let backend = listener.backends.first(where: { $0.endpoint.port == 0 }) {
                throw .invalidSpec("NLB node \(spec.address): listener \(listener.transport.rawValue) \(listener.port): backend \(backend.endpoint.address) has port 0")
            }
        }
    }
}
