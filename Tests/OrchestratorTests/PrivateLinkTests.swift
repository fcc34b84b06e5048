import Kernel
import Testing
@testable import Orchestrator

/// PrivateLink without a kernel: where interface endpoints go, which node and transit link they
/// use, acceptance, principals, and the fabric and datapaths they need.
@Suite struct PrivateLinkTests {
    /// A provider VPC with an internal NLB in two AZs (TCP 80 and UDP 53), a consumer VPC with an
    /// NLB of its own in `consumer-1a`, and two endpoints of a service that requires acceptance.
    static func yaml(accepted: [String] = ["ep"], consumerCIDR: String = "10.1", instances: String = "") -> String {
        """
        vpcs:
          - name: provider
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
          - name: consumer
            cidr: \(consumerCIDR).0.0/16
            subnets:
              - {name: consumer-1a, az: local-1a, cidr: \(consumerCIDR).1.0/24}
              - {name: consumer-1b, az: local-1b, cidr: \(consumerCIDR).2.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a}
          - {name: web-b1, subnet: subnet-1b}
        \(instances)
        loadBalancers:
          - name: svc-nlb
            type: network
            scheme: internal
            datapath: nftables
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}
              - {protocol: UDP, port: 53, defaultActions: [{type: forward, targetGroupName: dns}]}
          - name: local-nlb
            type: network
            scheme: internal
            subnets: [consumer-1a]
            listeners:
              - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: local}]}
        targetGroups:
          - {name: web, protocol: TCP, port: 8080, vpc: provider, targets: [{id: web-a1}, {id: web-b1}]}
          - {name: dns, protocol: UDP, port: 53, vpc: provider, targets: [{id: web-a1}]}
          - {name: local, protocol: TCP, port: 8080, vpc: consumer, targets: []}
        endpointServices:
          - name: svc
            networkLoadBalancers: [svc-nlb]
            acceptanceRequired: true
            allowedPrincipals: ["arn:aws:iam::111111111111:root"]
            acceptedEndpoints: [\(accepted.joined(separator: ", "))]
        vpcEndpoints:
          - {name: ep, vpcEndpointType: Interface, serviceName: svc, vpc: consumer, subnets: [consumer-1a, consumer-1b]}
          - name: ep2
            vpcEndpointType: Interface
            serviceName: svc
            vpc: consumer
            subnets: [consumer-1a]
            principal: "arn:aws:iam::111111111111:root"

        """
    }

    static func model(_ yaml: String) throws -> DeploymentModel {
        try DeploymentModel.resolve(yaml, source: "state.yaml", record: ElasticIPRecord())
    }

    @Test func endpointsArePlacedAfterLoadBalancerNodesFromOneTakenSet() throws {
        let model = try Self.model(Self.yaml())
        let hosts = Dictionary(uniqueKeysWithValues: model.topology.hosts.map { ($0.name, $0) })
        #expect(hosts["local-nlb-local-1a"]?.address.description == "10.1.1.254/24")
        #expect(hosts["ep-local-1a"]?.address.description == "10.1.1.253/24")
        #expect(hosts["ep2-local-1a"]?.address.description == "10.1.1.252/24")
        #expect(hosts["ep-local-1b"]?.address.description == "10.1.2.254/24")
        #expect(hosts["ep-local-1a"]?.kind == .endpoint(service: "svc"))
        #expect(hosts["ep-local-1a"]?.gateway == IPv4Address(10, 1, 1, 1))
        #expect(model.interfaceEndpoints.map(\.name) == ["ep-local-1a", "ep-local-1b", "ep2-local-1a"])
    }

    @Test func eachInterfaceUsesTheProviderNodeOfItsZoneAndTheTransitOfItsPosition() throws {
        let endpoints = try Self.model(Self.yaml()).interfaceEndpoints
        #expect(endpoints.map(\.providerNode) == ["svc-nlb-local-1a", "svc-nlb-local-1b", "svc-nlb-local-1a"])
        #expect(endpoints.map(\.transit.providerSide.description) == ["100.65.0.1/30", "100.65.0.5/30", "100.65.0.9/30"])
        #expect(endpoints.map(\.transit.endpointSide.description) == ["100.65.0.2/30", "100.65.0.6/30", "100.65.0.10/30"])
        #expect(endpoints.allSatisfy { $0.ports == [80] }, "only TCP listener ports are forwarded")
        #expect(PrivateLinkTransit(position: PrivateLinkTransit.capacity) == nil)
        #expect(PrivateLinkTransit(position: PrivateLinkTransit.capacity - 1)?.endpointSide.description == "100.65.255.254/30")
    }

    @Test func acceptanceDecidesTheState() throws {
        let pending = try Self.model(Self.yaml()).interfaceEndpoints
        #expect(pending.map(\.state) == [.available, .available, .pendingAcceptance])
        let accepted = try Self.model(Self.yaml(accepted: ["ep", "ep2"])).interfaceEndpoints
        #expect(accepted.allSatisfy { $0.isAvailable })
        let none = try Self.model(Self.yaml(accepted: [])).interfaceEndpoints
        #expect(none.allSatisfy { $0.state == .pendingAcceptance })
        let open = try Self.model(Self.yaml(accepted: []).replacingOccurrences(of: "acceptanceRequired: true", with: "acceptanceRequired: false"))
        #expect(open.interfaceEndpoints.allSatisfy { $0.isAvailable })
    }

    @Test func aPrincipalThatIsNotAllowedIsRefusedNamingEndpointPrincipalAndService() {
        let yaml = Self.yaml().replacingOccurrences(of: "principal: \"arn:aws:iam::111111111111:root\"",
                                                    with: "principal: \"arn:aws:iam::222222222222:root\"")
        #expect(issueDescriptions(yaml) == [
            "state.yaml:48: vpcEndpoints[1].principal: endpoint 'ep2': principal 'arn:aws:iam::222222222222:root' is not in "
                + "the allowedPrincipals of service 'svc' (arn:aws:iam::111111111111:root)",
        ])
    }

    @Test func anInterfaceNamedLikeAnotherHostIsRefused() {
        #expect(throws: PrivateLinkError.hostNameTaken("ep-local-1b", endpoint: "ep")) {
            try Self.model(Self.yaml(instances: "  - {name: ep-local-1b, subnet: subnet-1a}"))
        }
    }

    @Test func availableEndpointsGetTransitLinksNATAndNodeAddressesPendingOnesNothing() throws {
        let model = try Self.model(Self.yaml())
        let builder = FabricBuilder(naming: Naming(prefix: "t"), executable: "/usr/bin/lbnet")
        var fabric = builder.build(model.topology)
        builder.addLoadBalancers(model.networkLoadBalancerNodes, draining: [], health: HealthRecord(), ipvsAvailable: false, to: &fabric)

        let endpoint = try #require(fabric.namespace("t-ep-local-1a"))
        #expect(endpoint.addresses.contains(AddressSpec(interface: "eth0", address: IPv4Interface(address: IPv4Address(10, 1, 1, 253), prefixLength: 24),
                                                        noPrefixRoute: true)))
        #expect(endpoint.link("pl0")?.kind == .veth(peerNamespace: "t-svc-nlb-local-1a", peerName: "pl-ep-local-1a"))
        #expect(endpoint.addresses.contains(AddressSpec(interface: "pl0", address: IPv4Interface(address: IPv4Address(100, 65, 0, 2), prefixLength: 30))))
        #expect(endpoint.sysctls["net.ipv4.ip_forward"] == "1")
        let provider = try #require(fabric.namespace("t-svc-nlb-local-1a"))
        #expect(provider.link("pl-ep-local-1a")?.kind == .vethPeer(ownerNamespace: "t-ep-local-1a", ownerName: "pl0"))
        #expect(provider.addresses.contains(AddressSpec(interface: "pl-ep-local-1a",
                                                        address: IPv4Interface(address: IPv4Address(100, 65, 0, 1), prefixLength: 30))))
        #expect(provider.link("pl-ep2-local-1a") == nil)

        let pending = try #require(fabric.namespace("t-ep2-local-1a"))
        #expect(pending.link("pl0") == nil && pending.addresses.count == 1, "a pending endpoint has only its interface")

        #expect(fabric.endpoints.map(\.endpoint) == ["ep-local-1a", "ep2-local-1a", "ep-local-1b"])
        #expect(fabric.endpoints[0].nat == EndpointNATSpec(endpointAddress: IPv4Address(10, 1, 1, 253), providerAddress: IPv4Address(100, 65, 0, 1),
                                                           ports: [80]))
        // The node answers consumers by the link they came in on: a mark, a rule, a table, per link.
        #expect(provider.rules == [RoutingRule(priority: 1000, mark: 0x20001, table: 0x20001)])
        #expect(provider.routes.map(\.description).contains("default via 100.65.0.2 dev pl-ep-local-1a onlink table 131073"))
        let wayBack = try #require(fabric.desiredNFTables.first { $0.namespace == "t-svc-nlb-local-1a" && $0.table == "lbnet_privatelink" })
        guard case .privateLinkReturnPath(let table) = wayBack.content else { throw CancellationError() }
        #expect(table.rules.map(\.description) == [
            "rule prerouting \"lbnet:from ep-local-1a\"", "rule prerouting \"lbnet:forwarded back to ep-local-1a\"",
            "rule output \"lbnet:answered back to ep-local-1a\"",
        ])
        #expect(fabric.endpoints[1].nat == nil)
        let node = try #require(fabric.nodeDatapaths.first { $0.node == "svc-nlb-local-1a" })
        #expect(node.additionalAddresses == [IPv4Address(100, 65, 0, 1)])
        #expect(fabric.nodeDatapaths.first { $0.node == "svc-nlb-local-1b" }?.additionalAddresses == [IPv4Address(100, 65, 0, 5)])
        #expect(Set(fabric.namespaces.map(\.name)).isSuperset(of: ["t-vpc.provider", "t-vpc.consumer"]))
        let routers = fabric.namespaces.filter { $0.name.hasPrefix("t-vpc.") }
        // A router's links: its bridges, hosts' ports in them, and NLB nodes' ports of their own (return paths); none to another router.
        #expect(routers.allSatisfy { router in
            router.links.allSatisfy { link in
                if case .veth(let peer, _) = link.kind { return !peer.hasPrefix("t-vpc.") }
                return [.loopback, .bridge].contains(link.kind)
            }
        }, "no link between the VPCs' routers")
    }

    @Test func transitInterfaceNamesFitTheKernel() {
        #expect(Naming.privateLinkPort(endpoint: "ep-local-1a") == "pl-ep-local-1a")
        let long = Naming.privateLinkPort(endpoint: "a-rather-long-endpoint-local-1a")
        #expect(long.hasPrefix("pl-") && long.utf8.count == 15)
    }
}
