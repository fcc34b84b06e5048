import Orchestrator
import Testing

/// AWS's NLB quotas and the warning about an NLB and ALB with different cross-zone settings.
@Suite struct ValidationQuotaTests {
    /// An NLB in subnet-1a and subnet-1b with `listeners` TCP listeners over one instance group
    /// of `targets` ip targets in AZ local-1a.
    func nlb(listeners: Int = 1, targets: Int = 1, crossZone: Bool = false) -> String {
        network + """
            loadBalancers:
              - name: nlb
                type: network
                subnets: [subnet-1a, subnet-1b]
                attributes: {load_balancing.cross_zone.enabled: "\(crossZone)"}
                listeners:
            \((0..<listeners).map { "      - {protocol: TCP, port: \(1000 + $0), defaultActions: [{type: forward, targetGroupName: web}]}" }.joined(separator: "\n"))
            targetGroups:
              - name: web
                targetType: ip
                protocol: TCP
                port: 8080
                vpc: main
                targets: [\((0..<targets).map { "{id: 10.0.1.\(10 + $0 % 200), port: \(8000 + $0 / 200)}" }.joined(separator: ", "))]

            """
    }

    @Test func fiftyListenersAreAllowedAndFiftyOneAreNot() {
        #expect(issueDescriptions(nlb(listeners: 50)) == [])
        #expect(issueDescriptions(nlb(listeners: 51)) == [
            "state.yaml:24: loadBalancers[0].listeners: TooManyListeners: 51 listeners; a network load balancer has at most 50",
        ])
    }

    @Test func fiveHundredTargetsPerZone() {
        #expect(issueDescriptions(nlb(targets: 500)) == [])
        let issues = issueDescriptions(nlb(targets: 501))
        #expect(issues.count == 1)
        #expect(issues.first?.contains("TooManyTargets: 501 targets in local-1a; the quota is 500") == true, "\(issues)")
    }

    @Test func withCrossZoneEveryTargetCountsInEveryZone() {
        let issues = issueDescriptions(nlb(targets: 501, crossZone: true))
        #expect(issues.count == 2, "\(issues)")
        #expect(issues.allSatisfy { $0.contains("TooManyTargets: 501 targets") })
    }
}

@Suite struct CrossZoneWarningTests {
    func scenario(nlbCrossZone: String, albGroupCrossZone: String) throws -> StateFile {
        try StateFileLoader.parse(network + """
            loadBalancers:
              - name: nlb
                type: network
                subnets: [subnet-1a, subnet-1b]
                attributes: {load_balancing.cross_zone.enabled: "\(nlbCrossZone)"}
                listeners:
                  - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: to-alb}]}
              - name: alb
                type: application
                scheme: internal
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - {protocol: HTTP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}
            targetGroups:
              - {name: to-alb, targetType: alb, protocol: TCP, port: 80, vpc: main, targets: [{id: alb}]}
              - name: web
                protocol: HTTP
                port: 8080
                vpc: main
                attributes: {load_balancing.cross_zone.enabled: "\(albGroupCrossZone)"}
                targets: [{id: web-a1}, {id: web-b1}]

            """, source: "state.yaml")
    }

    @Test func matchingSettingsGiveNoWarning() throws {
        #expect(try scenario(nlbCrossZone: "false", albGroupCrossZone: "false").warnings().isEmpty)
        #expect(try scenario(nlbCrossZone: "true", albGroupCrossZone: "true").warnings().isEmpty)
    }

    @Test func mismatchIsWarnedAboutNamingBothSides() throws {
        let warnings = try scenario(nlbCrossZone: "true", albGroupCrossZone: "false").warnings()
        #expect(warnings == [
            "load balancer 'nlb' has cross-zone load balancing on but target group 'web' of its target 'alb' has it off: "
                + "the NLB and the ALB should use the same cross-zone setting, or an ALB node with no healthy target in its zone answers 503",
        ])
    }
}
