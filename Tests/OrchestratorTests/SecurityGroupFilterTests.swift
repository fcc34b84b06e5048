import Kernel
import Testing
@testable import Orchestrator

/// From state file to each interface's filter, and from filter to nftables: no kernel.
@Suite struct SecurityGroupFilterTests {
    static let yaml = """
        vpcs:
          - {name: main, cidr: 10.0.0.0/16, subnets: [{name: a, az: local-1a, cidr: 10.0.1.0/24}, {name: b, az: local-1b, cidr: 10.0.2.0/24}]}
        instances:
          - {name: web-a1, subnet: a, securityGroups: [web-sg]}
          - {name: web-b1, subnet: b, securityGroups: [web-sg]}
          - {name: tool, subnet: a}
        loadBalancers:
          - {name: alb, type: application, scheme: internal, subnets: [a, b], securityGroups: [alb-sg]}
          - {name: nlb, type: network, scheme: internal, subnets: [a]}
          - {name: guarded, type: network, scheme: internal, subnets: [b], securityGroups: [alb-sg], enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off"}
        securityGroups:
          - name: web-sg
            vpc: main
            ingress:
              - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, sourceSecurityGroup: alb-sg}
              - {ipProtocol: tcp, fromPort: 9000, toPort: 9100, cidrIp: 10.0.1.0/24}
              - {ipProtocol: icmp, fromPort: 8, toPort: -1, cidrIp: 0.0.0.0/0}
          - name: alb-sg
            vpc: main
            ingress: [{ipProtocol: tcp, fromPort: 80, toPort: 80, cidrIp: 0.0.0.0/0}]
            egress: [{ipProtocol: tcp, fromPort: 8080, toPort: 8080, destinationSecurityGroup: web-sg}]
        """

    static func interfaces(_ yaml: String = yaml) throws -> [String: InterfaceSecurityGroups] {
        let model = try DeploymentModel.resolve(yaml, source: "state.yaml", record: ElasticIPRecord())
        let filters = SecurityGroupFilters(directory: SecurityGroupDirectory(file: model.file, interfaceEndpoints: model.interfaceEndpoints),
                                           topology: model.topology, naming: Naming(prefix: "t"))
        return Dictionary(uniqueKeysWithValues: filters.interfaces().map { ($0.host, $0) })
    }

    @Test func everyInterfaceGetsItsGroupsWithAWSsDefaults() throws {
        let interfaces = try Self.interfaces()
        #expect(interfaces["tool"]?.groups == ["default"], "an instance without groups is in the default group")
        #expect(interfaces["web-a1"]?.groups == ["web-sg"])
        #expect(interfaces["alb-local-1a"]?.groups == ["alb-sg"] && interfaces["alb-local-1b"]?.groups == ["alb-sg"])
        #expect(interfaces["nlb-local-1a"] == nil, "a network load balancer without security groups filters nothing")
        #expect(interfaces["guarded-local-1b"]?.filter.unfilteredInbound == ["pl-*"], "PrivateLink traffic passes when the NLB says off")
        #expect(interfaces["alb-local-1a"]?.namespace == "t-alb-local-1a")
    }

    @Test func aReferencedGroupIsTheAddressesOfItsMembersInTheVPC() throws {
        let interfaces = try Self.interfaces()
        let web = try #require(interfaces["web-a1"]).filter
        let albAddresses = try Self.interfaces().values.filter { $0.groups.contains("alb-sg") }.count
        #expect(web.groupMembers["alb-sg"]?.count == albAddresses && albAddresses == 3, "two ALB nodes and the guarded NLB's node")
        #expect(web.egress.map(\.description) == ["web-sg 1: all 0.0.0.0/0"], "AWS's default egress")
        #expect(web.ingress.map(\.description) == ["web-sg 1: tcp 8080 sg alb-sg", "web-sg 2: tcp 9000-9100 10.0.1.0/24",
                                                    "web-sg 3: icmp type 8 code any 0.0.0.0/0"])
        let alb = try #require(interfaces["alb-local-1a"]).filter
        #expect(alb.groupMembers["web-sg"] == [IPv4Address(10, 0, 1, 11), IPv4Address(10, 0, 2, 11)])
        let tool = try #require(interfaces["tool"]).filter
        #expect(tool.groupMembers["default"] == [IPv4Address(10, 0, 1, 12)], "only the default group's members")
    }

    @Test func rulesBecomeAcceptRulesUnderDropPolicies() throws {
        let filter = try #require(try Self.interfaces()["web-a1"]).filter
        let table = try SecurityGroupTable.desired(filter)
        #expect(table.chains.map(\.policy) == [.drop, .drop])
        #expect(table.chains.map(\.hook) == [.prerouting, .postrouting])
        #expect(table.maps.map(\.definition) == [.set(name: "sg_alb-sg", key: .ipv4Address)])
        let rules = Dictionary(table.rules.map { ($0.comment, $0.expressions) }, uniquingKeysWith: { first, _ in first })
        #expect(table.rules.filter { $0.comment == "lbnet:established" }.map(\.chain) == ["ingress", "egress"])
        #expect(rules.filter { $0.key != "lbnet:dropped" }.values.allSatisfy { $0.last == .verdict(.accept) })
        for chain in ["ingress", "egress"] {
            #expect(table.rules.last { $0.chain == chain }?.expressions == [.counter, .verdict(.drop)], "the last rule counts the drops")
        }
        let fromALB = try #require(rules["lbnet:ingress web-sg 1: tcp 8080 sg alb-sg"])
        #expect(fromALB == [.payload(.network, offset: 12, length: 4, into: .register(1)),
                            .lookup(.register(1), set: "sg_alb-sg", into: nil),
                            .meta(.layer4Protocol, into: .register(1)), .compare(.register(1), .equal, data: [6]),
                            .payload(.transport, offset: 2, length: 2, into: .register(1)),
                            .compare(.register(1), .equal, data: [0x1f, 0x90]), .counter, .verdict(.accept)])
        let range = try #require(rules["lbnet:ingress web-sg 2: tcp 9000-9100 10.0.1.0/24"])
        #expect(range.prefix(3) == [.payload(.network, offset: 12, length: 4, into: .register(1)),
                                    .bitwise(.register(1), mask: [255, 255, 255, 0], xor: [0, 0, 0, 0], into: .register(1)),
                                    .compare(.register(1), .equal, data: [10, 0, 1, 0])])
        #expect(range.contains(.compare(.register(1), .greaterOrEqual, data: [0x23, 0x28])))
        #expect(range.contains(.compare(.register(1), .lessOrEqual, data: [0x23, 0x8c])))
        #expect(rules["lbnet:egress web-sg 1: all 0.0.0.0/0"] == [.counter, .verdict(.accept)])
        #expect(rules["lbnet:established"] != nil && rules["lbnet:loopback"] != nil)
    }

    /// What the kernel reports after committing the table of `filter`.
    static func readBack(_ filter: SecurityGroupFilterSpec) throws -> NFTTableState {
        try SnapshotBuilder.readBack(OwnedNFTable(namespace: "t-web-a1", owner: "web-a1", content: .securityGroups(filter)))
    }

    @Test func aNewMemberOfAReferencedGroupIsOneSetElement() throws {
        let before = try #require(try Self.interfaces()["web-a1"]).filter
        let current = try Self.readBack(before)
        #expect(try SecurityGroupTable.plan(before, current: current).isEmpty, "a second plan changes nothing")
        let grown = Self.yaml.replacingOccurrences(of: "  - {name: tool, subnet: a}", with: "  - {name: tool, subnet: a, securityGroups: [alb-sg]}")
        let after = try #require(try Self.interfaces(grown)["web-a1"]).filter
        let batch = try SecurityGroupTable.plan(after, current: current)
        #expect(batch.operations == [.addElements(table: SecurityGroupTable.name, map: "sg_alb-sg",
                                                  [NFTMapElement(key: [10, 0, 1, 12], value: [])])])
    }

    @Test func anAddedRuleGoesBeforeTheChainsDropRule() throws {
        let before = try #require(try Self.interfaces()["web-a1"]).filter
        let current = try Self.readBack(before)
        let more = Self.yaml.replacingOccurrences(of: "      - {ipProtocol: icmp, fromPort: 8, toPort: -1, cidrIp: 0.0.0.0/0}\n",
                                                  with: "      - {ipProtocol: icmp, fromPort: 8, toPort: -1, cidrIp: 0.0.0.0/0}\n      - {ipProtocol: udp, fromPort: 53, toPort: 53, cidrIp: 10.0.0.0/8}\n")
        let after = try #require(try Self.interfaces(more)["web-a1"]).filter
        let operations = try SecurityGroupTable.plan(after, current: current).operations
        let drop = try #require(current.rules(in: "ingress").last)
        #expect(drop.comment == "lbnet:dropped")
        let table = SecurityGroupTable.name
        #expect(operations.count == 3)
        #expect(operations.first == .deleteRule(table: table, chain: "ingress", handle: drop.handle, comment: drop.comment))
        #expect(operations.dropFirst().map(\.description) == [
            "adding rule \"lbnet:ingress web-sg 4: udp 53 10.0.0.0/8\" to chain \(table)/ingress",
            "adding rule \"lbnet:dropped\" to chain \(table)/ingress",
        ])
    }

    @Test func aRemovedRuleIsDeletedAndNothingElse() throws {
        let before = try #require(try Self.interfaces()["web-a1"]).filter
        let current = try Self.readBack(before)
        let fewer = Self.yaml.replacingOccurrences(of: "      - {ipProtocol: tcp, fromPort: 9000, toPort: 9100, cidrIp: 10.0.1.0/24}\n", with: "")
            .replacingOccurrences(of: "      - {ipProtocol: icmp, fromPort: 8, toPort: -1, cidrIp: 0.0.0.0/0}\n", with: "")
        let after = try #require(try Self.interfaces(fewer)["web-a1"]).filter
        let deleted = try SecurityGroupTable.plan(after, current: current).operations.compactMap { operation -> String? in
            if case .deleteRule(_, _, _, let comment) = operation { comment } else { nil }
        }
        #expect(deleted == ["lbnet:ingress web-sg 2: tcp 9000-9100 10.0.1.0/24", "lbnet:ingress web-sg 3: icmp type 8 code any 0.0.0.0/0"])
    }

    @Test func aTableIsOwnedAndPlannedPerNamespace() throws {
        let spec = FabricSpec(namespaces: [NamespaceSpec(name: "t-web-a1")])
        var fabric = spec
        fabric.securityGroups = [try #require(try Self.interfaces()["web-a1"])]
        let tables = fabric.desiredNFTables
        #expect(tables.map(\.table) == [SecurityGroupTable.name])
        #expect(tables.first?.owner == "security groups web-sg of web-a1")
        #expect(OwnedNFTable.names.contains(SecurityGroupTable.name))
    }
}
