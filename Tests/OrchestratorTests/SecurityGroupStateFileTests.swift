import Kernel
import Orchestrator
import Testing

/// Security groups in the state file: decoding, AWS's defaults, validation, attachments.
@Suite struct SecurityGroupStateFileTests {
    /// The issue's example, on the `network` fixture (sections start on line 19).
    static let example = network + """
        securityGroups:
          - name: web-sg
            vpc: main
            ingress:
              - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, cidrIp: 10.0.1.0/24}
              - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, sourceSecurityGroup: alb-sg, description: from the ALB}
            egress:
              - {ipProtocol: "-1", cidrIp: 0.0.0.0/0}
          - {name: alb-sg, vpc: main, description: the ALB}
        """

    @Test func theIssuesExampleDecodesWithAWSsDefaults() throws {
        let file = try StateFileLoader.parse(Self.example, source: "state.yaml")
        #expect(file.securityGroups.count == 2)
        let web = file.securityGroups[0]
        #expect(web.ingress == [
            StateFile.SecurityGroupRule(ipProtocol: "tcp", fromPort: 8080, toPort: 8080, peer: .cidr(IPv4Network("10.0.1.0/24")!)),
            StateFile.SecurityGroupRule(ipProtocol: "tcp", fromPort: 8080, toPort: 8080, peer: .securityGroup("alb-sg"),
                                        description: "from the ALB"),
        ])
        #expect(web.egress == [.allTraffic(to: .cidr(.anywhere))])
        let alb = file.securityGroups[1]
        #expect(alb.ingress.isEmpty, "a new group allows no ingress")
        #expect(alb.egress == nil && alb.effectiveEgress == [.allTraffic(to: .cidr(.anywhere))], "and all egress")
        #expect(alb.description == "the ALB")
    }

    @Test func everyVPCHasADefaultGroupWhoseMembersReachEachOther() throws {
        let file = try StateFileLoader.parse(network, source: "state.yaml")
        let directory = SecurityGroupDirectory(file: file)
        let group = try #require(directory.group("default", vpc: "consumer"))
        #expect(group.ingress == [.allTraffic(to: .securityGroup("default"))])
        #expect(group.effectiveEgress == [.allTraffic(to: .cidr(.anywhere))])
        let topology = file.resolve()
        #expect(directory.attached(to: try #require(topology.host(named: "web-a1"))) == ["default"],
                "an instance without securityGroups is in its VPC's default group")
    }

    @Test func rulesAreCheckedAsEC2ChecksThem() {
        let yaml = network + """
            securityGroups:
              - name: bad
                vpc: main
                ingress:
                  - {ipProtocol: tcp, cidrIp: 10.0.0.0/8}
                  - {ipProtocol: udp, fromPort: 90, toPort: 80, cidrIp: 10.0.0.0/8}
                  - {ipProtocol: icmp, fromPort: -1, toPort: 3, cidrIp: 10.0.0.0/8}
                  - {ipProtocol: gre, cidrIp: 10.0.0.0/8}
                  - {ipProtocol: tcp, fromPort: 1, toPort: 2, sourceSecurityGroup: nowhere}
                egress:
                  - {ipProtocol: "-1", destinationSecurityGroup: other}
              - {name: other, vpc: consumer}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:23: securityGroups[0].ingress[0]: tcp rules need fromPort and toPort",
            "state.yaml:24: securityGroups[0].ingress[1].fromPort: fromPort 90 is greater than toPort 80",
            "state.yaml:25: securityGroups[0].ingress[2].toPort: all ICMP types (fromPort -1) need all codes (toPort -1)",
            "state.yaml:26: securityGroups[0].ingress[3].ipProtocol: 'gre' is not a protocol: use tcp, udp, icmp, -1 (all) or a number 0-255",
            "state.yaml:27: securityGroups[0].ingress[4].sourceSecurityGroup: unknown security group 'nowhere'",
            "state.yaml:29: securityGroups[0].egress[0].destinationSecurityGroup: security group 'other' is in VPC 'consumer', not 'main'",
        ])
    }

    @Test func aRuleHasExactlyOnePeerOfItsDirection() {
        let yaml = network + """
            securityGroups:
              - name: sg
                vpc: main
                ingress:
                  - {ipProtocol: "-1", cidrIp: 10.0.0.0/8, sourceSecurityGroup: sg}
                  - {ipProtocol: "-1"}
                  - {ipProtocol: "-1", destinationSecurityGroup: sg}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:23: securityGroups[0].ingress[0]: set either cidrIp or sourceSecurityGroup, not both",
            "state.yaml:24: securityGroups[0].ingress[1]: needs cidrIp or sourceSecurityGroup",
            "state.yaml:25: securityGroups[0].ingress[2].destinationSecurityGroup: unknown key 'destinationSecurityGroup'",
            "state.yaml:25: securityGroups[0].ingress[2]: needs cidrIp or sourceSecurityGroup",
        ])
    }

    @Test func attachmentsNameKnownGroupsOfTheirVPC() {
        let yaml = """
            vpcs:
              - {name: main, cidr: 10.0.0.0/16, subnets: [{name: a, az: local-1a, cidr: 10.0.1.0/24}, {name: b, az: local-1b, cidr: 10.0.2.0/24}]}
              - {name: other, cidr: 10.1.0.0/16, subnets: [{name: c, az: local-1a, cidr: 10.1.1.0/24}]}
            instances:
              - {name: web, subnet: a, securityGroups: [web-sg, web-sg]}
              - {name: job, subnet: c, securityGroups: [web-sg, default]}
            loadBalancers:
              - {name: alb, type: application, subnets: [a, b], securityGroups: [alb-sgg]}
              - {name: nlb, type: network, subnets: [a], securityGroups: [web-sg]}
            securityGroups:
              - {name: web-sg, vpc: main}
              - {name: alb-sg, vpc: main}
              - {name: web-sg, vpc: other}
              - {name: default, vpc: main}
              - {name: default, vpc: other}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:5: instances[0].securityGroups[1]: security group 'web-sg' is listed twice",
            "state.yaml:8: loadBalancers[0].securityGroups[0]: unknown security group 'alb-sgg' (did you mean 'alb-sg'?)",
            "state.yaml:13: securityGroups[2].name: duplicate name 'web-sg': already used by securityGroups[0]",
        ])
    }

    @Test func aGroupInAnotherVPCIsRefusedOnTheField() {
        let yaml = (network + "securityGroups: [{name: consumer-sg, vpc: consumer}]\n")
            .replacingOccurrences(of: "{name: web-a1, subnet: subnet-1a}", with: "{name: web-a1, subnet: subnet-1a, securityGroups: [consumer-sg]}")
        #expect(issueDescriptions(yaml) == [
            "state.yaml:14: instances[0].securityGroups[0]: security group 'consumer-sg' is in VPC 'consumer', not 'main'",
        ])
    }

    static let nlb = network + """
        loadBalancers:
          - {name: nlb, type: network, subnets: [subnet-1a]SGS}
        securityGroups:
          - {name: nlb-sg, vpc: main}
        """

    @Test func aNetworkLoadBalancerCreatedWithoutSecurityGroupsCannotGetThemLater() throws {
        let without = try StateFileLoader.parse(Self.nlb.replacingOccurrences(of: "SGS", with: ""), source: "before")
        let with = Self.nlb.replacingOccurrences(of: "SGS", with: ", securityGroups: [nlb-sg]")
        #expect(throws: Never.self) { try StateFileLoader.parse(with, source: "state.yaml") }
        do {
            _ = try StateFileLoader.parse(with, source: "state.yaml", previous: without)
            Issue.record("adding security groups to an NLB created without them was accepted")
        } catch {
            #expect(error.issues.map(\.description) == [
                "state.yaml:20: loadBalancers[0].securityGroups: network load balancer 'nlb' was created without security groups "
                    + "and cannot get them later (InvalidConfigurationRequest); create a new load balancer with them",
            ])
        }
        let created = try StateFileLoader.parse(with, source: "before")
        #expect(throws: Never.self) { try StateFileLoader.parse(with, source: "again", previous: created) }
    }

    @Test func thePrivateLinkSwitchNeedsANetworkLoadBalancerWithSecurityGroups() throws {
        let off = Self.nlb.replacingOccurrences(of: "SGS", with: ", securityGroups: [nlb-sg], enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: off")
        let file = try StateFileLoader.parse(off, source: "state.yaml")
        #expect(file.loadBalancers[0].enforceSecurityGroupInboundRulesOnPrivateLinkTraffic == .off)
        let alone = Self.nlb.replacingOccurrences(of: "SGS", with: ", enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: \"on\"")
        #expect(issueDescriptions(alone) == [
            "state.yaml:20: loadBalancers[0].enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "
                + "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic applies only to a network load balancer with security groups",
        ])
    }

    @Test func groupsAndAttachmentsRoundTripThroughTheEncoder() throws {
        let yaml = Self.example.replacingOccurrences(of: "{name: web-a1, subnet: subnet-1a}",
                                                     with: "{name: web-a1, subnet: subnet-1a, securityGroups: [web-sg, default]}")
            + "\n  - {name: locked, vpc: main, egress: []}\n"
        let file = try StateFileLoader.parse(yaml, source: "original")
        #expect(file.securityGroups[2].egress == [], "an explicit empty egress list allows nothing out")
        let written = try StateFileEncoder.yaml(file)
        #expect(try StateFileLoader.parse(written, source: "written") == file, "\(written)")
        #expect(written.contains("egress: []"), "\(written)")
    }
}
