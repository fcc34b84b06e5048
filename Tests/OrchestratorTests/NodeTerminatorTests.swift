import Foundation
import Kernel
import L7Proxy
import Orchestrator
import Testing

@testable import Orchestrator

/// An NLB `TLS` listener in the plan: each node gets a TLS terminator (an `lbnet proxy` in its
/// namespace, with the listener's certificates, policies and a marked relay to the node's own
/// address), and its datapath balances only the terminator's marked connections: nftables has
/// no `prerouting` rule for the port, IPVS a firewall-mark service instead of an address one.
@Suite struct NodeTerminatorTests {
    static let yaml = NLBFixture.yaml()
        .replacingOccurrences(of: "loadBalancers:", with: """
            certificates:
              - {name: web, domainNames: [www.example.test]}
            loadBalancers:
            """)
        .replacingOccurrences(of: "      - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}", with: """
                  - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}
                  - {protocol: TLS, port: 443, certificates: [web], alpnPolicy: HTTP2Preferred, defaultActions: [{type: forward, targetGroupName: web}]}
                  - {protocol: TLS, port: 8443, certificates: [web], defaultActions: [{type: forward, targetGroupName: secure}]}
            """)
        + """
          - {name: secure, protocol: TLS, port: 8443, vpc: main, targets: [{id: web-a1}]}

        """

    static func model() throws -> DeploymentModel {
        try DeploymentModel.resolve(yaml, source: "t.yaml", record: ElasticIPRecord())
    }

    @Test func theFixtureHasTheTLSListeners() throws {
        let listeners = try Self.model().networkLoadBalancerNodes[0].listeners
        #expect(listeners.map(\.protocol) == [.tcp, .tls, .tls])
    }

    @Test func datapathsBalanceOnlyTheTerminatorsMarkedConnections() throws {
        let node = try Self.model().networkLoadBalancerNodes[0]
        let spec = NodeDatapathSpec(node: node, namespace: "ns", datapath: .ipvs)
        #expect(spec.listeners.map(\.terminatorMark) == [nil, 0x4c42_01bb, 0x4c42_20fb])

        let nft = NFTablesNodeDatapath.table(spec)
        #expect(nft.listeners.map(\.terminatorMark) == [nil, 0x4c42_01bb, 0x4c42_20fb])

        let services = IPVSNodeDatapath.table(spec).destinations
        #expect(services.keys.filter { $0.firewallMark == nil }.map(\.port) == [80])
        let marked = services.filter { $0.key.firewallMark == 0x4c42_01bb }
        #expect(marked.count == 1)
        #expect(marked.values.first?.map { "\($0.address):\($0.port)" }.sorted() == ["10.0.1.11:8080", "10.0.1.12:8080"])
    }

    @Test func eachNodeRunsATerminatorWithTheListenersAndAMarkedRelay() throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let deployment = Deployment(directory: StateDirectory(path: directory + "/state"), prefix: "lbnet-u", executable: "/bin/lbnet")
        let fabric = try deployment.fabric(for: Self.model(), draining: [], health: HealthRecord(), ipvsAvailable: true)
        #expect(fabric.proxyConfigurations.map(\.node).sorted() == ["nlb-local-1a", "nlb-local-1b"])
        let process = try #require(fabric.processes.first { $0.name == "nlb-local-1a" })
        #expect(process.namespace == "lbnet-u-nlb-local-1a")
        #expect(process.arguments.prefix(2) == ["/bin/lbnet", "proxy"])

        let configuration = try #require(fabric.proxyConfigurations.first { $0.node == "nlb-local-1a" }).configuration
        #expect(configuration.idleTimeoutSeconds == 350)
        #expect(configuration.targetGroups.isEmpty)
        #expect(configuration.certificates.map(\.name) == ["web"])
        #expect(configuration.certificates.first?.privateKey.contains("PRIVATE KEY") == true)
        let https = try #require(configuration.listeners.first { $0.port == 443 })
        #expect(https.protocol == .tls)
        #expect(https.alpnPolicy == .http2Preferred)
        #expect(https.sslPolicy == SSLPolicy.defaultName)
        // The relay connects from the client's address; the datapath decides what targets see.
        #expect(https.relay == RelayConfiguration(address: "10.0.1.254", port: 443, mark: 0x4c42_01bb, targetTLS: false, transparent: true))
        let secure = try #require(configuration.listeners.first { $0.port == 8443 })
        #expect(secure.alpnPolicy == ALPNPolicy.none)
        #expect(secure.relay?.targetTLS == true)
        #expect(throws: Never.self) { try configuration.validate() }

        // Answers to the transparent relay are delivered in the node: a rule, a local route, a table.
        let namespace = try #require(fabric.namespaces.first { $0.name == "lbnet-u-nlb-local-1a" })
        #expect(namespace.rules.contains(RoutingRule(priority: 900, mark: 0x4c42_0000, table: 0x4c42)))
        #expect(namespace.routes.map(\.description).contains("local default dev lo table 19522"))
        #expect(fabric.desiredNFTables.contains { $0.namespace == namespace.name && $0.table == "lbnet_terminator" })
    }

    /// A `TCP` listener whose `ip` group has `proxy_protocol_v2.enabled` (and keeps AWS's
    /// default, no client IP preservation): the node's terminator relays it with the header,
    /// from the client's address, which the node's datapath masquerades; it knows the VPC
    /// endpoint of nothing (no PrivateLink here).
    @Test func aProxyProtocolGroupSendsItsListenerThroughTheTerminator() throws {
        let yaml = NLBFixture.yaml(targets: ["10.0.1.11", "10.0.2.11"])
            .replacingOccurrences(of: "    port: 8080\n", with: "    port: 8080\n    targetType: ip\n")
            .replacingOccurrences(of: "attributes: {deregistration_delay", with: "attributes: {proxy_protocol_v2.enabled: \"true\", deregistration_delay")
        let model = try DeploymentModel.resolve(yaml, source: "t.yaml", record: ElasticIPRecord())
        let node = model.networkLoadBalancerNodes[0]
        #expect(node.listeners.map(\.isTerminated) == [true])
        #expect(NodeDatapathSpec(node: node, namespace: "ns", datapath: .nftables).listeners.map(\.terminatorMark) == [0x4c42_0050])

        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let deployment = Deployment(directory: StateDirectory(path: directory + "/state"), prefix: "lbnet-u", executable: "/bin/lbnet")
        let fabric = try deployment.fabric(for: model, draining: [], health: HealthRecord(), ipvsAvailable: false)
        let configuration = try #require(fabric.proxyConfigurations.first { $0.node == "nlb-local-1a" }).configuration
        #expect(configuration.listeners.map(\.protocol) == [.tcp])
        #expect(configuration.listeners.first?.relay == RelayConfiguration(address: "10.0.1.254", port: 80, mark: 0x4c42_0050,
                                                                            proxyProtocol: true, transparent: true))
        #expect(configuration.idleTimeoutSeconds == 350)
        #expect(throws: Never.self) { try configuration.validate() }
        #expect(fabric.desiredNFTables.contains { $0.table == "lbnet_terminator" })
        let datapath = try #require(fabric.nodeDatapaths.first { $0.node == "nlb-local-1a" })
        #expect(NFTablesNodeDatapath.table(datapath).listeners.map(\.preservesClientAddress) == [false], "the relayed flows are masqueraded")
    }

    @Test func aLoadBalancerWithoutTLSListenersRunsNoProcess() throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let deployment = Deployment(directory: StateDirectory(path: directory + "/state"), prefix: "lbnet-u", executable: "/bin/lbnet")
        let model = try DeploymentModel.resolve(NLBFixture.yaml(), source: "t.yaml", record: ElasticIPRecord())
        let fabric = try deployment.fabric(for: model, draining: [], health: HealthRecord(), ipvsAvailable: true)
        #expect(fabric.proxyConfigurations.isEmpty)
        #expect(!fabric.processes.contains { $0.name.hasPrefix("nlb-") })
    }
}
