import CNetlink
import Testing
@testable import Kernel

/// An NLB node table serving further addresses (PrivateLink transit addresses), and the
/// endpoint NAT table: planned against read-back states built by hand, no kernel.
@Suite struct NFTablesMultiAddressTests {
    static let node = NFTablesPlannerTests.node
    static let transit = IPv4Address(100, 65, 0, 1)
    static let secondTransit = IPv4Address(100, 65, 0, 5)

    static func spec(_ additional: [IPv4Address], _ listeners: [NLBListener]) -> NLBNodeSpec {
        NLBNodeSpec(address: node, additionalAddresses: additional, listeners: listeners)
    }

    @Test func eachAddressGetsItsRulePerListenerAndChain() throws {
        let table = try NLBNodeTable.desired(Self.spec([Self.transit], [NFTablesPlannerTests.web, NFTablesPlannerTests.dns]), current: nil)
        let dnat = table.rules.filter { $0.chain == "prerouting" }.map(\.purpose)
        #expect(dnat == ["dnat tcp 80", "dnat tcp 80 on 100.65.0.1", "dnat udp 53", "dnat udp 53 on 100.65.0.1"])
        #expect(table.rules.filter { $0.chain == "output" }.count == 4)
        #expect(table.maps.count == 2, "the addresses share each listener's map")
        let transitRule = try #require(table.rules.first { $0.purpose == "dnat tcp 80 on 100.65.0.1" })
        #expect(Array(transitRule.expressions.prefix(2)) == NFTMatch.ipDestination(Self.transit))
    }

    @Test func oneAddressKeepsTheTableItHadBefore() throws {
        let single = try NLBNodeTable.desired(NFTablesPlannerTests.spec([NFTablesPlannerTests.web]), current: nil)
        let empty = try NLBNodeTable.desired(Self.spec([], [NFTablesPlannerTests.web]), current: nil)
        #expect(single == empty)
        #expect(single.rules.map(\.comment) == ["lbnet:dnat tcp 80", "lbnet:dnat tcp 80", "lbnet:masquerade tcp 80",
                                             "lbnet:processed bytes", "lbnet:client resets", "lbnet:target resets"])
    }

    @Test func backendChangesAreStillElementChangesOnly() throws {
        let current = NFTablesPlannerTests.readBack(try NLBNodeTable.desired(Self.spec([Self.transit, Self.secondTransit],
                                                                                        [NFTablesPlannerTests.web]), current: nil))
        let grown = NLBListener(transport: .tcp, port: 80, backends: NFTablesPlannerTests.web.backends + [NFTablesPlannerTests.backend(14)])
        let batch = try NLBNodeTable.plan(Self.spec([Self.transit, Self.secondTransit], [grown]), current: current)
        #expect(batch.changesOnlyElements, "\(batch)")
        #expect(!batch.isEmpty)
    }

    @Test func anAddedAddressAddsOnlyItsRules() throws {
        let current = NFTablesPlannerTests.readBack(try NLBNodeTable.desired(Self.spec([Self.transit], [NFTablesPlannerTests.web]), current: nil))
        let batch = try NLBNodeTable.plan(Self.spec([Self.transit, Self.secondTransit], [NFTablesPlannerTests.web]), current: current)
        let added = batch.operations.compactMap { operation -> String? in
            if case .addRule(_, let rule) = operation { rule.description } else { nil }
        }
        #expect(batch.operations.count == 2)
        #expect(added == ["rule prerouting \"lbnet:dnat tcp 80 on 100.65.0.5\"", "rule output \"lbnet:dnat tcp 80 on 100.65.0.5\""])
    }

    @Test func anAddressListedTwiceIsRefused() {
        #expect(throws: NFTablesError.self) {
            try NLBNodeTable.desired(Self.spec([Self.transit, Self.transit], [NFTablesPlannerTests.web]), current: nil)
        }
        #expect(throws: NFTablesError.self) {
            try NLBNodeTable.desired(Self.spec([Self.node], [NFTablesPlannerTests.web]), current: nil)
        }
    }

    static let endpoint = EndpointNATSpec(endpointAddress: IPv4Address(10, 0, 1, 253), providerAddress: transit, ports: [80, 443])

    /// Each port goes to the provider's end of the transit link; the consumer's address is kept.
    @Test func endpointTableForwardsEachPortToTheProvider() throws {
        let table = try EndpointNATTable.desired(Self.endpoint)
        #expect(table.name == "lbnet_endpoint")
        #expect(table.rules.map(\.description) == [
            "rule prerouting \"lbnet:forward tcp 80\"", "rule prerouting \"lbnet:forward tcp 443\"",
        ])
        #expect(table.chains.map(\.name) == ["prerouting"])
        #expect(table.rules[0].expressions == NFTMatch.ipDestination(IPv4Address(10, 0, 1, 253)) + NFTMatch.layer4Protocol(6)
            + NFTMatch.transportDestinationPort(80)
            + [.immediate(data: [100, 65, 0, 1], into: .register(1)),
               .nat(.destination, address: .register(1), port: nil, flags: UInt32(NF_NAT_RANGE_MAP_IPS))])
    }

    @Test func endpointTableIsKeptWhenItMatchesAndRemovedWithoutASpec() throws {
        let current = NFTablesPlannerTests.readBack(try EndpointNATTable.desired(Self.endpoint))
        #expect(try EndpointNATTable.plan(Self.endpoint, current: current).isEmpty)
        #expect(try EndpointNATTable.plan(nil, current: current).operations == [.deleteTable("lbnet_endpoint")])
        #expect(try EndpointNATTable.plan(nil, current: nil).isEmpty)
    }

    @Test func invalidEndpointSpecsAreRefused() {
        #expect(throws: NFTablesError.self) {
            try EndpointNATTable.desired(EndpointNATSpec(endpointAddress: Self.node, providerAddress: Self.transit, ports: [0]))
        }
        #expect(throws: NFTablesError.self) {
            try EndpointNATTable.desired(EndpointNATSpec(endpointAddress: Self.node, providerAddress: Self.transit, ports: [80, 80]))
        }
    }
}
