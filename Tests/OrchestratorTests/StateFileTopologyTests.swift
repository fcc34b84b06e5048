import Kernel
import Orchestrator
import Testing

@Suite struct StateFileTopologyTests {
    private func resolve(_ yaml: String) throws -> Topology {
        try StateFileLoader.parse(yaml, source: "state.yaml").resolve()
    }

    @Test func resolvesTheDefaultTopology() throws {
        let topology = try resolve(StateFileLoader.defaultTopologyYAML)
        #expect(topology.elasticIpPool == IPv4Network("198.51.100.0/24"))
        #expect(topology.vpcs.map(\.name) == ["main"])
        #expect(topology.vpcs[0].cidr == IPv4Network("10.0.0.0/16"))
        #expect(topology.vpcs[0].subnets.map(\.gateway.description) == ["10.0.1.1/24", "10.0.2.1/24"])
        #expect(topology.hosts.map(\.name) == ["web-a1", "web-a2", "web-b1", "web-b2"])
        #expect(topology.hosts.map(\.address.description) == [
            "10.0.1.11/24", "10.0.1.12/24", "10.0.2.11/24", "10.0.2.12/24",
        ])
        let webB2 = try #require(topology.host(named: "web-b2"))
        #expect(webB2 == Topology.Host(
            name: "web-b2", kind: .instance, vpc: "main", subnet: "subnet-1b", az: "local-1b",
            address: IPv4Interface(address: IPv4Address(10, 0, 2, 12), prefixLength: 24),
            gateway: IPv4Address(10, 0, 2, 1), run: .builtinTarget(port: 8080)))
    }

    @Test func picksAddressesAroundEveryFixedOneInDeclarationOrder() throws {
        let yaml = """
            vpcs:
              - name: main
                cidr: 10.0.0.0/16
                subnets:
                  - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
                  - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
            instances:
              - {name: web-a1, subnet: subnet-1a}
              - {name: web-a2, subnet: subnet-1a, address: 10.0.1.12}
              - {name: web-a3, subnet: subnet-1a}
              - {name: web-b1, subnet: subnet-1b}
              - {name: web-a4, subnet: subnet-1a, address: 10.0.1.11}
            loadBalancers:
              - name: web-nlb
                type: network
                scheme: internal
                subnetMappings:
                  - {subnetId: subnet-1b, privateIPv4Address: 10.0.2.11}
            """
        let addresses = try resolve(yaml).hosts.map { "\($0.name)=\($0.address.address)" }
        #expect(addresses == [
            "web-a1=10.0.1.13", "web-a2=10.0.1.12", "web-a3=10.0.1.14", "web-b1=10.0.2.12", "web-a4=10.0.1.11",
        ])
    }

    @Test func keepsCommandsAndPorts() throws {
        let yaml = """
            vpcs:
              - name: main
                cidr: 10.0.0.0/16
                subnets: [{name: subnet-1a, az: local-1a, cidr: 10.0.1.0/28}]
            instances:
              - {name: app, subnet: subnet-1a, run: [python3, -m, http.server, 8080]}
              - {name: target, subnet: subnet-1a, port: 9000, address: 10.0.1.4}
            """
        let topology = try resolve(yaml)
        #expect(topology.hosts.map(\.run) == [
            .command(["python3", "-m", "http.server", "8080"]), .builtinTarget(port: 9000),
        ])
        #expect(topology.hosts.map(\.address.description) == ["10.0.1.11/28", "10.0.1.4/28"])
        #expect(topology.hosts.map(\.kind.description) == ["instance", "instance"])
    }
}
