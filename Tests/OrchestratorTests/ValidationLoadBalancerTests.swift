import Orchestrator
import Testing

/// Load balancer sections appended to `network`, so their first line is line 19.
@Suite struct ValidationLoadBalancerTests {
    @Test func subnetsComeInExactlyOneForm() {
        let yaml = network + """
            loadBalancers:
              - {name: lb-both, type: network, subnets: [subnet-1a], subnetMappings: [{subnetId: subnet-1b}]}
              - {name: lb-none, type: network}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:20: loadBalancers[0]: set either subnets or subnetMappings, not both",
            "state.yaml:21: loadBalancers[1]: needs subnets or subnetMappings",
        ])
    }

    @Test func subnetsAreKnownInOneVPCAndOnePerAZ() {
        let yaml = network + """
            loadBalancers:
              - name: web-nlb
                type: network
                subnets: [subnet-1x, subnet-1a, consumer-1c, subnet-1c, subnet-1a]
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:22: loadBalancers[0].subnets[0]: unknown subnet 'subnet-1x' (did you mean 'subnet-1a'?)",
            "state.yaml:22: loadBalancers[0].subnets[2]: subnet 'consumer-1c' is in VPC 'consumer', "
                + "but 'subnet-1a' is in VPC 'main'; a load balancer's subnets must all be in one VPC",
            "state.yaml:22: loadBalancers[0].subnets[3]: subnet 'subnet-1c' is in AZ 'local-1a' like 'subnet-1a'; "
                + "a load balancer takes one subnet per AZ",
            "state.yaml:22: loadBalancers[0].subnets[4]: subnet 'subnet-1a' is listed twice",
        ])
    }

    @Test func anApplicationLoadBalancerNeedsTwoAZs() {
        let yaml = network + """
            loadBalancers:
              - name: web-alb
                type: application
                subnetMappings:
                  - subnetId: subnet-1a
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:22: loadBalancers[0].subnetMappings: an application load balancer needs subnets in at least two AZs",
        ])
    }

    @Test func settingsBelongToTheirLoadBalancerType() {
        let yaml = network + """
            loadBalancers:
              - name: web-nlb
                type: network
                subnets: [subnet-1a]
                securityGroups: [sg-web]
              - name: web-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                datapath: nftables
                scheduler: sh
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:23: loadBalancers[0].securityGroups[0]: unknown security group 'sg-web'",
            "state.yaml:27: loadBalancers[1].datapath: datapath is only for network load balancers",
            "state.yaml:28: loadBalancers[1].scheduler: scheduler is only for network load balancers",
        ])
    }

    @Test func elasticIpsAttachToInternetFacingNetworkLoadBalancersOnce() {
        let yaml = network + """
            loadBalancers:
              - name: edge-nlb
                type: network
                subnetMappings:
                  - {subnetId: subnet-1a, allocationId: eip-a}
                  - {subnetId: subnet-1b, allocationId: eip-z}
              - name: other-nlb
                type: network
                subnetMappings: [{subnetId: subnet-1a, allocationId: eip-a}]
              - name: private-nlb
                type: network
                scheme: internal
                subnetMappings: [{subnetId: subnet-1a, allocationId: eip-b}]
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:24: loadBalancers[0].subnetMappings[1].allocationId: unknown Elastic IP 'eip-z' (did you mean 'eip-a'?)",
            "state.yaml:27: loadBalancers[1].subnetMappings[0].allocationId: "
                + "Elastic IP 'eip-a' is already attached by loadBalancers[0].subnetMappings[0].allocationId",
            "state.yaml:31: loadBalancers[2].subnetMappings[0].allocationId: "
                + "allocationId is only for internet-facing network load balancers",
        ])
    }

    @Test func privateAddressesAreForInternalNetworkLoadBalancers() {
        let yaml = network + """
            loadBalancers:
              - name: edge-nlb
                type: network
                subnetMappings: [{subnetId: subnet-1a, privateIPv4Address: 10.0.1.5}]
              - name: private-nlb
                type: network
                scheme: internal
                subnetMappings: [{subnetId: subnet-1b, privateIPv4Address: 10.0.1.6}]
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:22: loadBalancers[0].subnetMappings[0].privateIPv4Address: "
                + "privateIPv4Address is only for internal network load balancers",
            "state.yaml:26: loadBalancers[1].subnetMappings[0].privateIPv4Address: "
                + "10.0.1.6 is outside subnet 'subnet-1b' (10.0.2.0/24)",
        ])
    }

    @Test func listenersFitTheLoadBalancer() {
        let yaml = network + """
            loadBalancers:
              - name: web-nlb
                type: network
                subnets: [subnet-1a]
                listeners:
                  - {protocol: HTTP, port: 80, defaultActions: [{type: forward, targetGroupName: tcp}]}
                  - {protocol: UDP, port: 80, defaultActions: [{type: forward, targetGroupName: tcp}]}
                  - {protocol: TCP, port: 70000, defaultActions: [{type: forward, targetGroupName: tcp}]}
                  - protocol: TCP
                    port: 81
                    defaultActions: [{type: forward, targetGroupName: tcp}]
                    rules:
                      - {priority: 1, conditions: [{field: path-pattern, values: [/]}], actions: [{type: forward, targetGroupName: tcp}]}
            targetGroups:
              - {name: tcp, protocol: TCP_UDP, port: 80, vpc: main}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:24: loadBalancers[0].listeners[0].protocol: HTTP is not a protocol of network load balancers "
                + "(use TCP, UDP, TCP_UDP, TLS)",
            "state.yaml:24: loadBalancers[0].listeners[0].defaultActions[0].targetGroupName: "
                + "IncompatibleProtocols: HTTP listeners cannot forward to target group 'tcp' (TCP_UDP); they need HTTP or HTTPS",
            "state.yaml:25: loadBalancers[0].listeners[1].port: port 80 already has a listener (loadBalancers[0].listeners[0])",
            "state.yaml:26: loadBalancers[0].listeners[2].port: port 70000 is out of range 1-65535",
            "state.yaml:30: loadBalancers[0].listeners[3].rules: listener rules are only for application load balancers",
        ])
    }
}
