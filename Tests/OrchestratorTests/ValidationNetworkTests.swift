import Orchestrator
import Testing

@Suite struct ValidationNetworkTests {
    @Test func subnetsMustBeInsideTheirVPC() {
        let yaml = """
            vpcs:
              - name: main
                cidr: 10.0.0.0/16
                subnets:
                  - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
                  - {name: subnet-1b, az: local-1b, cidr: 10.1.0.0/24}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:6: vpcs[0].subnets[1].cidr: 10.1.0.0/24 is outside the VPC's 10.0.0.0/16",
        ])
    }

    @Test func subnetsOfAVPCMustNotOverlap() {
        let yaml = """
            vpcs:
              - name: main
                cidr: 10.0.0.0/16
                subnets:
                  - {name: subnet-1a, az: local-1a, cidr: 10.0.0.0/20}
                  - {name: subnet-1b, az: local-1b, cidr: 10.0.4.0/24}
              - name: other
                cidr: 10.0.0.0/16
                subnets:
                  - {name: other-1a, az: local-1a, cidr: 10.0.4.0/24}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:6: vpcs[0].subnets[1].cidr: 10.0.4.0/24 overlaps subnet 'subnet-1a' (10.0.0.0/20)",
        ])
    }

    @Test func prefixLengthsAreBetween16And28() {
        let yaml = """
            vpcs:
              - name: main
                cidr: 10.0.0.0/8
                subnets:
                  - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/29}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:3: vpcs[0].cidr: prefix /8 is out of range /16-/28",
            "state.yaml:5: vpcs[0].subnets[0].cidr: prefix /29 is out of range /16-/28",
        ])
    }

    @Test func namesFollowTheNameRules() {
        let yaml = """
            vpcs:
              - name: main_vpc
                cidr: 10.0.0.0/16
                subnets:
                  - {name: "", az: Local-1a, cidr: 10.0.1.0/24}
            instances:
              - {name: a-very-long-instance-name-1, subnet: subnet-1a}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:2: vpcs[0].name: 'main_vpc' may contain only a-z, 0-9 and '-'",
            "state.yaml:5: vpcs[0].subnets[0].name: must not be empty",
            "state.yaml:5: vpcs[0].subnets[0].az: 'Local-1a' may contain only a-z, 0-9 and '-'",
            "state.yaml:7: instances[0].name: 'a-very-long-instance-name-1' is 27 characters long; the limit is 24",
            "state.yaml:7: instances[0].subnet: unknown subnet 'subnet-1a'",
        ])
    }

    @Test func vpcNamesAreUnique() {
        let yaml = """
            vpcs:
              - {name: main, cidr: 10.0.0.0/16}
              - {name: main, cidr: 10.1.0.0/16}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:3: vpcs[1].name: duplicate name 'main': already used by vpcs[0]",
        ])
    }

    @Test func subnetNamesAreUniqueAcrossVPCs() {
        let yaml = """
            vpcs:
              - name: main
                cidr: 10.0.0.0/16
                subnets: [{name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}]
              - name: other
                cidr: 10.1.0.0/16
                subnets: [{name: subnet-1a, az: local-1a, cidr: 10.1.1.0/24}]
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:7: vpcs[1].subnets[0].name: duplicate name 'subnet-1a': already used by vpcs[0].subnets[0]",
        ])
    }

    @Test func hostNamesAreUniqueAcrossInstancesLoadBalancersAndEndpoints() {
        let yaml = network + """
            loadBalancers:
              - {name: web-a1, type: network, subnets: [subnet-1a]}
              - {name: internet, type: network, subnets: [subnet-1b]}
            endpointServices:
              - {name: web-svc, networkLoadBalancers: [web-a1]}
            vpcEndpoints:
              - {name: web-b1, vpcEndpointType: Interface, serviceName: web-svc, vpc: consumer, subnets: [consumer-1a]}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:20: loadBalancers[0].name: duplicate name 'web-a1': already used by instances[0]",
            "state.yaml:21: loadBalancers[1].name: 'internet' is a reserved host name",
            "state.yaml:25: vpcEndpoints[0].name: duplicate name 'web-b1': already used by instances[1]",
        ])
    }

    @Test func otherNamesAreUniqueWithinTheirKind() {
        let yaml = network.replacingOccurrences(of: "- {name: eip-b}", with: "- {name: eip-a}") + """
            targetGroups:
              - {name: web, protocol: TCP, port: 80, vpc: main}
              - {name: web, protocol: TCP, port: 81, vpc: main}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:18: elasticIps[1].name: duplicate name 'eip-a': already used by elasticIps[0]",
            "state.yaml:21: targetGroups[1].name: duplicate name 'web': already used by targetGroups[0]",
        ])
    }

    @Test func elasticIpsComeFromThePool() {
        let yaml = """
            elasticIpPool: 203.0.113.0/24
            vpcs:
              - {name: main, cidr: 203.0.0.0/16}
            elasticIps:
              - {name: eip-a, address: 198.51.100.10}
              - {name: eip-b, address: 203.0.113.255}
              - {name: eip-c, address: 203.0.113.10}
              - {name: eip-d, address: 203.0.113.10}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:3: vpcs[0].cidr: 203.0.0.0/16 overlaps the elasticIpPool 203.0.113.0/24",
            "state.yaml:5: elasticIps[0].address: 198.51.100.10 is outside the elasticIpPool 203.0.113.0/24",
            "state.yaml:6: elasticIps[1].address: 203.0.113.255 is the broadcast address of the elasticIpPool 203.0.113.0/24",
            "state.yaml:8: elasticIps[3].address: 203.0.113.10 is already the address of Elastic IP 'eip-c'",
        ])
    }
}
