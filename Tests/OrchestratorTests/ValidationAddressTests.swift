import Orchestrator
import Testing

@Suite struct ValidationAddressTests {
    /// One VPC with subnet-1a (10.0.1.0/24) and a small subnet-9 (10.0.9.0/28); instances appended from line 7.
    let subnets = """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-9, az: local-1b, cidr: 10.0.9.0/28}

        """

    @Test func instanceAddressesMustBeInsideTheirSubnet() {
        let yaml = subnets + """
            instances:
              - {name: web-a1, subnet: subnet-1a, address: 10.0.2.11}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:8: instances[0].address: 10.0.2.11 is outside subnet 'subnet-1a' (10.0.1.0/24)",
        ])
    }

    @Test func reservedAddressesCannotBeTaken() {
        let yaml = subnets + """
            instances:
              - {name: host-0, subnet: subnet-1a, address: 10.0.1.0}
              - {name: host-1, subnet: subnet-1a, address: 10.0.1.1}
              - {name: host-2, subnet: subnet-1a, address: 10.0.1.2}
              - {name: host-3, subnet: subnet-1a, address: 10.0.1.3}
              - {name: host-4, subnet: subnet-1a, address: 10.0.1.4}
              - {name: host-255, subnet: subnet-1a, address: 10.0.1.255}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:8: instances[0].address: 10.0.1.0 is reserved in subnet 'subnet-1a' (the network address)",
            "state.yaml:9: instances[1].address: 10.0.1.1 is reserved in subnet 'subnet-1a' (the gateway)",
            "state.yaml:10: instances[2].address: 10.0.1.2 is reserved in subnet 'subnet-1a' (reserved for DNS)",
            "state.yaml:11: instances[3].address: 10.0.1.3 is reserved in subnet 'subnet-1a' (reserved for future use)",
            "state.yaml:13: instances[5].address: 10.0.1.255 is reserved in subnet 'subnet-1a' (the broadcast address)",
        ])
    }

    @Test func addressesCannotBeTakenTwice() {
        let yaml = subnets + """
            instances:
              - {name: web-a1, subnet: subnet-1a, address: 10.0.1.20}
              - {name: web-a2, subnet: subnet-1a, address: 10.0.1.20}
            loadBalancers:
              - name: web-nlb
                type: network
                scheme: internal
                subnetMappings: [{subnetId: subnet-1a, privateIPv4Address: 10.0.1.20}]
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:9: instances[1].address: 10.0.1.20 is already taken by 'web-a1' (instances[0].address)",
            "state.yaml:14: loadBalancers[0].subnetMappings[0].privateIPv4Address: "
                + "10.0.1.20 is already taken by 'web-a1' (instances[0].address)",
        ])
    }

    @Test func aSubnetCanRunOutOfAddressesToPick() {
        let yaml = subnets + """
            instances:
              - {name: web-1, subnet: subnet-9}
              - {name: web-2, subnet: subnet-9}
              - {name: web-3, subnet: subnet-9, address: 10.0.9.5}
              - {name: web-4, subnet: subnet-9}
              - {name: web-5, subnet: subnet-9}
              - {name: web-6, subnet: subnet-9}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:13: instances[5]: subnet 'subnet-9' (10.0.9.0/28) has no free address left to pick "
                + "(lbnet picks from offset 11 on)",
        ])
    }

    @Test func instancesNeedAKnownSubnetAPortAndACommand() {
        let yaml = subnets + """
            instances:
              - {name: web-a1, subnet: subnet-1b}
              - {name: web-a2, subnet: subnet-1a, port: 0}
              - {name: web-a3, subnet: subnet-1a, run: []}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:8: instances[0].subnet: unknown subnet 'subnet-1b' (did you mean 'subnet-1a'?)",
            "state.yaml:9: instances[1].port: port 0 is out of range 1-65535",
            "state.yaml:10: instances[2].run: must name a command to run",
        ])
    }

    @Test func aPortWithACommandIsRefusedNotIgnored() {
        let yaml = subnets + """
            instances:
              - {name: web-a1, subnet: subnet-1a, run: [sleep, "1"], port: 9000}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:8: instances[0].port: is the built-in target server's port; an instance with 'run' listens where its command says (remove one)",
        ])
    }

    @Test func tlsWithUserDataIsRefusedNotIgnored() {
        let yaml = subnets + """
            instances:
              - {name: web-a1, subnet: subnet-1a, userData: "echo hi", tls: true}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:8: instances[0].tls: is the built-in target server's protocol; an instance with 'userData' serves what its script serves (remove one)",
        ])
    }

    @Test func tlsIsKeptThroughExportAndGivesTheTargetItsCertificate() throws {
        let yaml = subnets + """
            instances:
              - {name: web-a1, subnet: subnet-1a, port: 8443, tls: true}
            """
        let file = try StateFileLoader.parse(yaml, source: "state.yaml")
        #expect(file.instances[0].tls)
        #expect(try StateFileEncoder.yaml(file).contains("tls: true"))
        let store = CertificateStore(directory: StateDirectory(path: "/var/lib/test-lbnet"))
        let fabric = FabricBuilder(naming: Naming(prefix: "t"), executable: "/usr/bin/lbnet", certificates: store).build(file.resolve())
        #expect(fabric.processes[0].arguments.suffix(4) == [
            "--tls-certificate", "/var/lib/test-lbnet/certificates/instances/web-a1.pem",
            "--tls-key", "/var/lib/test-lbnet/certificates/instances/web-a1.key",
        ])
    }
}
