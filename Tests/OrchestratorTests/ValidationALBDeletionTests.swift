import Orchestrator
import Testing

/// AWS's rule that an ALB registered in a target group cannot be deleted.
@Suite struct ValidationALBDeletionTests {
    let withALB = network + """
        loadBalancers:
          - name: nlb
            type: network
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: to-alb}]}
          - name: alb
            type: application
            scheme: internal
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - {protocol: HTTP, port: 80, defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: "200"}}]}
        targetGroups:
          - {name: to-alb, targetType: alb, protocol: TCP, port: 80, vpc: main, targets: [{id: alb}]}

        """

    var withoutALB: String {
        withALB.replacingOccurrences(of: """
              - name: alb
                type: application
                scheme: internal
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - {protocol: HTTP, port: 80, defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: "200"}}]}

            """, with: "")
    }

    @Test func removingARegisteredALBIsRefusedNamingTheTargetGroup() throws {
        let previous = try StateFileLoader.parse(withALB, source: "state.yaml")
        #expect(withoutALB != withALB)
        #expect(throws: StateFileError.self) { try StateFileLoader.parse(withoutALB, source: "state.yaml", previous: previous) }
        do {
            _ = try StateFileLoader.parse(withoutALB, source: "state.yaml", previous: previous)
        } catch {
            #expect(error.issues.map(\.message) == [
                "ResourceInUse: load balancer 'alb' cannot be deleted because it is registered in target group 'to-alb'; "
                    + "deregister it from the target group first",
            ])
        }
    }

    @Test func removingItTogetherWithItsRegistrationIsAllowed() throws {
        let previous = try StateFileLoader.parse(withALB, source: "state.yaml")
        let deregistered = withoutALB.replacingOccurrences(of: "targets: [{id: alb}]", with: "targets: []")
        #expect(throws: Never.self) { try StateFileLoader.parse(deregistered, source: "state.yaml", previous: previous) }
    }
}
