import Testing
@testable import Kernel

/// The planner against read-back states built by hand: no kernel.
@Suite struct NFTablesPlannerTests {
    static let node = IPv4Address(192, 168, 77, 2)

    static func backend(_ last: UInt8, weight: UInt32 = 1) -> NLBBackend {
        NLBBackend(address: IPv4Address(10, 0, 1, last), port: 8080, weight: weight)
    }

    static func spec(_ listeners: [NLBListener], address: IPv4Address = node) -> NLBNodeSpec {
        NLBNodeSpec(address: address, listeners: listeners)
    }

    static let web = NLBListener(transport: .tcp, port: 80, backends: [backend(11), backend(12)])
    static let dns = NLBListener(transport: .udp, port: 53, backends: [backend(13)])

    /// What the kernel would report after committing `desired` (handles numbered in order).
    static func readBack(_ desired: NFTTableSpec) -> NFTTableState {
        var handle: UInt64 = 0
        func next() -> UInt64 { handle += 1; return handle }
        return NFTTableState(
            name: desired.name, handle: next(),
            chains: desired.chains.map { NFTChainState(name: $0.name, handle: next(), spec: $0) },
            maps: desired.maps.map { NFTMapState(definition: $0.definition, flags: 8, handle: next(), elements: $0.elements) },
            rules: desired.rules.map { NFTRuleState(chain: $0.chain, handle: next(), comment: $0.comment, expressions: $0.expressions) })
    }

    static func current(_ spec: NLBNodeSpec) throws -> NFTTableState {
        readBack(try NLBNodeTable.desired(spec, current: nil))
    }

    @Test func aMissingTableIsCreatedInDependencyOrder() throws {
        let batch = try NLBNodeTable.plan(Self.spec([Self.web, Self.dns]), current: nil)
        let kinds = batch.operations.map { operation -> String in
            switch operation {
            case .addTable: "table"
            case .addChain: "chain"
            case .addMap: "map"
            case .addElements: "elements"
            case .addRule: "rule"
            default: "other"
            }
        }
        // Chains prerouting, output, postrouting, forward; per listener two DNAT rules, then a
        // masquerade rule per listener and the forward chain's three counters (bytes, client and
        // target resets).
        #expect(kinds == ["table", "chain", "chain", "chain", "chain", "map", "map", "elements", "elements",
                          "rule", "rule", "rule", "rule", "rule", "rule", "rule", "rule", "rule"])
        guard case .addElements(_, "backends_tcp_80", let elements) = batch.operations[7] else {
            Issue.record("expected the elements of backends_tcp_80, got \(batch.operations[7])")
            return
        }
        #expect(elements.count == 256)
    }

    @Test func aMatchingTableNeedsNothing() throws {
        let spec = Self.spec([Self.web, Self.dns])
        #expect(try NLBNodeTable.plan(spec, current: Self.current(spec)).isEmpty)
    }

    @Test func backendChangesAreElementChangesOnly() throws {
        let current = try Self.current(Self.spec([Self.web, Self.dns]))
        let grown = NLBListener(transport: .tcp, port: 80, backends: Self.web.backends + [Self.backend(14)])
        let batch = try NLBNodeTable.plan(Self.spec([grown, Self.dns]), current: current)
        #expect(batch.changesOnlyElements)
        guard batch.operations.count == 2,
              case .deleteElements(_, "backends_tcp_80", let deleted) = batch.operations[0],
              case .addElements(_, "backends_tcp_80", let added) = batch.operations[1] else {
            Issue.record("expected one delete and one add on backends_tcp_80:\n\(batch)")
            return
        }
        // Moved slots are replaced: deleted, then added with the new backend.
        #expect(deleted == added.map(\.key))
        #expect(added.allSatisfy { NLBNodeTable.endpoint(fromValue: $0.value) == Self.backend(14).endpoint })
        #expect(added.count == 85 || added.count == 86)
    }

    @Test func removingAListenerDeletesItsRulesBeforeItsMap() throws {
        let current = try Self.current(Self.spec([Self.web, Self.dns]))
        let batch = try NLBNodeTable.plan(Self.spec([Self.web]), current: current)
        let expected: [NFTOperation] = current.rules.filter { ["lbnet:dnat udp 53", "lbnet:masquerade udp 53"].contains($0.comment) }.map {
            .deleteRule(table: "lbnet_nlb", chain: $0.chain, handle: $0.handle, comment: $0.comment)
        } + [.deleteMap(table: "lbnet_nlb", name: "backends_udp_53")]
        #expect(batch.operations == expected)
    }

    @Test func aNewAddressReplacesOnlyTheRules() throws {
        let current = try Self.current(Self.spec([Self.web]))
        let batch = try NLBNodeTable.plan(Self.spec([Self.web], address: IPv4Address(192, 168, 77, 3)), current: current)
        // The two DNAT rules and the masquerade rule name the address.
        #expect(batch.operations.count == 6)
        #expect(batch.operations.allSatisfy { operation in
            switch operation {
            case .deleteRule, .addRule: true
            default: false
            }
        })
    }

    @Test func foreignRulesAndChainsInTheTableAreRemoved() throws {
        let spec = Self.spec([Self.web])
        let clean = try Self.current(spec)
        let intruder = NFTRuleState(chain: "prerouting", handle: 90, comment: nil, expressions: [.counter])
        let current = NFTTableState(name: clean.name, handle: clean.handle,
                                    chains: clean.chains + [NFTChainState(name: "extra", handle: 91, spec: nil)],
                                    maps: clean.maps, rules: clean.rules + [intruder])
        #expect(try NLBNodeTable.plan(spec, current: current).operations == [
            .deleteRule(table: "lbnet_nlb", chain: "prerouting", handle: 90, comment: nil),
            .deleteChain(table: "lbnet_nlb", name: "extra"),
        ])
    }

    @Test func aChainOnTheWrongHookIsRecreatedWithItsRules() throws {
        let spec = Self.spec([Self.web])
        let clean = try Self.current(spec)
        let wrong = NFTChainSpec(name: "output", type: .nat, hook: .output, priority: 0)
        let current = NFTTableState(name: clean.name, handle: clean.handle,
                                    chains: clean.chains.map { $0.name == "output" ? NFTChainState(name: "output", handle: $0.handle, spec: wrong) : $0 },
                                    maps: clean.maps, rules: clean.rules)
        let outputRule = try #require(clean.rules.first { $0.chain == "output" })
        let desiredRule = try #require(NLBNodeTable.desired(spec, current: nil).rules.first { $0.chain == "output" })
        #expect(try NLBNodeTable.plan(spec, current: current).operations == [
            .deleteRule(table: "lbnet_nlb", chain: "output", handle: outputRule.handle, comment: outputRule.comment),
            .deleteChain(table: "lbnet_nlb", name: "output"),
            .addChain(table: "lbnet_nlb", NLBNodeTable.chains[1]),
            .addRule(table: "lbnet_nlb", desiredRule),
        ])
    }

    @Test func aMapOfOtherTypesIsRecreatedAroundTheRulesUsingIt() throws {
        let spec = Self.spec([Self.web])
        let clean = try Self.current(spec)
        let oldMap = clean.maps[0]
        let wrongTypes = NFTMapState(definition: NFTMapDefinition(name: oldMap.definition.name, key: .mark, value: .ipv4Address),
                                     flags: 8, handle: oldMap.handle, elements: [:])
        let current = NFTTableState(name: clean.name, handle: clean.handle, chains: clean.chains, maps: [wrongTypes], rules: clean.rules)
        let operations = try NLBNodeTable.plan(spec, current: current).operations
        let names = operations.map(\.description)
        let deleteMap = try #require(names.firstIndex { $0.hasPrefix("deleting map lbnet_nlb/backends_tcp_80") })
        let addMap = try #require(names.firstIndex { $0.hasPrefix("adding map lbnet_nlb/backends_tcp_80") })
        let ruleDeletions = names.indices.filter { names[$0].hasPrefix("deleting rule \"lbnet:dnat tcp 80\"") }
        let ruleAdditions = names.indices.filter { names[$0].hasPrefix("adding rule \"lbnet:dnat tcp 80\"") }
        #expect(ruleDeletions.count == 2 && ruleDeletions.allSatisfy { $0 < deleteMap })
        #expect(ruleAdditions.count == 2 && ruleAdditions.allSatisfy { $0 > addMap })
        #expect(names.contains { $0.hasPrefix("adding 256 element(s) to map lbnet_nlb/backends_tcp_80") })
    }

    @Test func invalidNLBSpecsAreRefused() {
        let twice = Self.spec([Self.web, NLBListener(transport: .tcp, port: 80, backends: [])])
        #expect(throws: NFTablesError.invalidSpec("NLB node 192.168.77.2: two tcp listeners on port 80")) {
            try NLBNodeTable.plan(twice, current: nil)
        }
        let portless = Self.spec([NLBListener(transport: .udp, port: 53, backends: [NLBBackend(address: IPv4Address(10, 0, 1, 1), port: 0)])])
        #expect(throws: NFTablesError.self) { try NLBNodeTable.plan(portless, current: nil) }
    }

    @Test func elasticIPsChangeOnlyElements() throws {
        let first = ElasticIPMapping(elasticIP: IPv4Address(203, 0, 113, 10), privateAddress: IPv4Address(10, 0, 1, 5))
        let second = ElasticIPMapping(elasticIP: IPv4Address(203, 0, 113, 11), privateAddress: IPv4Address(10, 0, 2, 7))
        let current = Self.readBack(try GatewayNATTable.desired(ElasticIPNATSpec(internetInterface: "igw0", mappings: [first])))
        #expect(try GatewayNATTable.plan(ElasticIPNATSpec(internetInterface: "igw0", mappings: [first]), current: current).isEmpty)
        let added = try GatewayNATTable.plan(ElasticIPNATSpec(internetInterface: "igw0", mappings: [first, second]), current: current)
        #expect(added.operations == [
            .addElements(table: "lbnet_gateway", map: "eip_to_private", [NFTMapElement(key: second.elasticIP.bytes, value: second.privateAddress.bytes)]),
            .addElements(table: "lbnet_gateway", map: "private_to_eip", [NFTMapElement(key: second.privateAddress.bytes, value: second.elasticIP.bytes)]),
        ])
        let released = try GatewayNATTable.plan(ElasticIPNATSpec(internetInterface: "igw0", mappings: []), current: current)
        #expect(released.operations == [
            .deleteElements(table: "lbnet_gateway", map: "eip_to_private", keys: [first.elasticIP.bytes]),
            .deleteElements(table: "lbnet_gateway", map: "private_to_eip", keys: [first.privateAddress.bytes]),
        ])
    }

    @Test func invalidGatewaySpecsAreRefused() {
        let mapping = ElasticIPMapping(elasticIP: IPv4Address(203, 0, 113, 10), privateAddress: IPv4Address(10, 0, 1, 5))
        let other = ElasticIPMapping(elasticIP: IPv4Address(203, 0, 113, 11), privateAddress: IPv4Address(10, 0, 1, 5))
        #expect(throws: NFTablesError.invalidSpec("gateway NAT: private address 10.0.1.5 has two Elastic IPs")) {
            try GatewayNATTable.desired(ElasticIPNATSpec(internetInterface: "igw0", mappings: [mapping, other]))
        }
        #expect(throws: NFTablesError.self) {
            try GatewayNATTable.desired(ElasticIPNATSpec(internetInterface: "an-interface-name-too-long", mappings: []))
        }
    }

    @Test func removalDeletesTheTableOnlyIfItExists() throws {
        let current = try Self.current(Self.spec([Self.web]))
        #expect(NFTPlanner.planRemoval(of: "lbnet_nlb", current: current).operations == [.deleteTable("lbnet_nlb")])
        #expect(NFTPlanner.planRemoval(of: "lbnet_nlb", current: nil).isEmpty)
    }
}
