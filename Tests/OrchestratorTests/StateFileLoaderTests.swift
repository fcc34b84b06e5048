import Foundation
import Kernel
import Orchestrator
import Testing

@Suite struct StateFileLoaderTests {
    @Test func parsesTheDefaultTopology() throws {
        let file = try StateFileLoader.parse(StateFileLoader.defaultTopologyYAML, source: "<default>")
        #expect(file.elasticIpPool == IPv4Network("198.51.100.0/24"))
        #expect(file.vpcs == [
            StateFile.VPC(name: "main", cidr: IPv4Network("10.0.0.0/16")!, subnets: [
                StateFile.Subnet(name: "subnet-1a", az: "local-1a", cidr: IPv4Network("10.0.1.0/24")!),
                StateFile.Subnet(name: "subnet-1b", az: "local-1b", cidr: IPv4Network("10.0.2.0/24")!),
            ]),
        ])
        #expect(file.instances == [
            StateFile.Instance(name: "web-a1", subnet: "subnet-1a", securityGroups: ["web-sg"]),
            StateFile.Instance(name: "web-a2", subnet: "subnet-1a", securityGroups: ["web-sg"]),
            StateFile.Instance(name: "web-b1", subnet: "subnet-1b", securityGroups: ["web-sg"]),
            StateFile.Instance(name: "web-b2", subnet: "subnet-1b", securityGroups: ["web-sg"]),
        ])
        #expect(file.securityGroups.map(\.name) == ["web-alb-sg", "web-sg"])
        #expect(file.loadBalancers.map(\.name) == ["web-nlb", "web-alb"])
        #expect(file.loadBalancers.map(\.type) == [.network, .application])
        #expect(file.loadBalancers.map(\.scheme) == [.internetFacing, .internal])
        #expect(file.loadBalancers.allSatisfy { $0.subnets == ["subnet-1a", "subnet-1b"] })
        #expect(file.targetGroups.map(\.name) == ["web-alb-target", "web-instances"])
        #expect(file.targetGroups.map(\.targetType) == [.alb, .instance])
        #expect(file.targetGroups.last?.targets.map(\.id) == ["web-a1", "web-a2", "web-b1", "web-b2"])
        #expect(file.elasticIps.isEmpty)
    }

    @Test(arguments: ["", "{}", "# nothing yet\n", "---\n"])
    func emptyFilesAreEmptyTopologies(yaml: String) throws {
        #expect(try StateFileLoader.parse(yaml, source: "state.yaml") == StateFile())
    }

    @Test func rejectsUnknownKeysWithASuggestion() {
        let yaml = """
            vpcs:
              - name: main
                cidr: 10.0.0.0/16
                subnet:
                  - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
            instance: []
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:4: vpcs[0].subnet: unknown key 'subnet' (did you mean 'subnets'?)",
            "state.yaml:6: instance: unknown key 'instance' (did you mean 'instances'?)",
        ])
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirLine() {
        let yaml = """
            vpcs:
              - name: main
                cidr: [10.0.0.0/16
            instances: []
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:4: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3)",
        ])
    }

    @Test func reportsDuplicateKeysAsSyntaxErrors() {
        let yaml = """
            vpcs:
              - name: main
                name: other
                cidr: 10.0.0.0/16
            """
        #expect(issueDescriptions(yaml) == ["state.yaml:2: invalid YAML: duplicate key 'name' in a mapping"])
    }

    @Test func reportsWrongTypes() {
        let yaml = """
            vpcs:
              name: main
            instances:
              - name: web-a1
                subnet: [subnet-1a]
                port: "8080"
                run: echo
            loadBalancers: yes
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:1: vpcs: expected a list, got a mapping",
            "state.yaml:5: instances[0].subnet: expected a string, got a list",
            "state.yaml:6: instances[0].port: expected an integer, got a string",
            "state.yaml:7: instances[0].run: expected a list, got a string",
            "state.yaml:8: loadBalancers: expected a list, got a boolean",
        ])
    }

    @Test func rejectsATopLevelThatIsNotAMapping() {
        #expect(issueDescriptions("- main\n") == ["state.yaml:1: expected a mapping, got a list"])
    }

    @Test func reportsMissingRequiredKeys() {
        let yaml = """
            vpcs:
              - name: main
                subnets:
                  - {name: subnet-1a, cidr: 10.0.1.0/24}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:2: vpcs[0]: missing required key 'cidr'",
            "state.yaml:4: vpcs[0].subnets[0]: missing required key 'az'",
        ])
    }

    @Test func reportsMalformedAddressesAndCIDRs() {
        let yaml = """
            elasticIpPool: 198.51.100.0/33
            vpcs:
              - name: main
                cidr: 10.0.1.5/16
                subnets:
                  - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0}
            instances:
              - {name: web-a1, subnet: subnet-1a, address: 10.0.1.256}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:1: elasticIpPool: '198.51.100.0/33' is not an IPv4 CIDR block like 10.0.0.0/16",
            "state.yaml:4: vpcs[0].cidr: 10.0.1.5/16 has host bits set (did you mean 10.0.0.0/16?)",
            "state.yaml:6: vpcs[0].subnets[0].cidr: '10.0.1.0' is not an IPv4 CIDR block like 10.0.0.0/16",
            "state.yaml:8: instances[0].address: '10.0.1.256' is not an IPv4 address like 10.0.1.11",
        ])
    }

    @Test func rejectsUnknownEnumValues() {
        let yaml = """
            loadBalancers:
              - name: web-nlb
                type: Network
                scheme: public
                subnets: [subnet-1a]
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:3: loadBalancers[0].type: 'Network' is not one of network, application (did you mean 'network'?)",
            "state.yaml:4: loadBalancers[0].scheme: 'public' is not one of internet-facing, internal",
        ])
    }

    @Test func acceptsBooleansAndIntegersAsAttributeValues() throws {
        let yaml = network + """
            targetGroups:
              - name: web
                protocol: TCP
                port: 8080
                vpc: main
                attributes:
                  deregistration_delay.timeout_seconds: 30
                  stickiness.enabled: True
                  load_balancing.cross_zone.enabled: use_load_balancer_configuration
            loadBalancers:
              - name: web-nlb
                type: network
                subnets: [subnet-1a]
                attributes: {load_balancing.cross_zone.enabled: false, "deletion_protection.enabled": no}
            """
        let file = try StateFileLoader.parse(yaml, source: "state.yaml")
        #expect(file.targetGroups.first?.attributes == [
            "deregistration_delay.timeout_seconds": "30",
            "stickiness.enabled": "true",
            "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
        ])
        #expect(file.loadBalancers.first?.attributes == [
            "load_balancing.cross_zone.enabled": "false",
            "deletion_protection.enabled": "false",
        ])
    }

    @Test func reportsAttributeValuesThatAreNotScalars() {
        let yaml = """
            loadBalancers:
              - name: web-nlb
                type: network
                subnets: [subnet-1a]
                attributes:
                  load_balancing.cross_zone.enabled: [true]
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:6: loadBalancers[0].attributes[\"load_balancing.cross_zone.enabled\"]: expected a string, got a list",
        ])
    }

    @Test func reportsDecodingIssuesBeforeChecksOfMeaning() {
        let yaml = """
            vpcs:
              - {name: main, cidr: 10.0.0.0/16, subnets: [{name: subnet-1a, az: local-1a, cidr: 10.9.1.0/24}]}
            instances:
              - {name: web-a1, subnet: subnet-1a, prot: 80}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:4: instances[0].prot: unknown key 'prot' (did you mean 'port'?)",
        ])
    }

    @Test func loadsAFile() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("lbnet-statefile-\(UUID().uuidString).yaml").path
        try StateFileLoader.defaultTopologyYAML.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try StateFileLoader.load(path: path).instances.count == 4)
    }

    @Test func reportsAFileThatCannotBeRead() {
        let path = "/nonexistent/lbnet/state.yaml"
        let error = #expect(throws: StateFileError.self) { try StateFileLoader.load(path: path) }
        #expect(error?.description == "/nonexistent/lbnet/state.yaml: cannot read the file: No such file or directory")
    }
}
