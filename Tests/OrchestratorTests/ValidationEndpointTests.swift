import Orchestrator
import Testing

/// Endpoint service and VPC endpoint checks; sections are appended to `network` from line 19.
@Suite struct ValidationEndpointTests {
    @Test func endpointServicesAndEndpointsAreConsistent() {
        let yaml = network + """
            loadBalancers:
              - {name: svc-nlb, type: network, scheme: internal, subnets: [subnet-1a]}
              - {name: web-alb, type: application, subnets: [subnet-1a, subnet-1b]}
            endpointServices:
              - name: web-svc
                networkLoadBalancers: [svc-nlb, web-alb, nlb-x]
                allowedPrincipals: [bob, "arn:aws:iam::123456789012:root"]
                acceptedEndpoints: [ep-a, ep-x]
              - {name: other-svc, networkLoadBalancers: [svc-nlb]}
              - {name: empty-svc, networkLoadBalancers: [], acceptanceRequired: true, acceptedEndpoints: [ep-b]}
            vpcEndpoints:
              - name: ep-a
                vpcEndpointType: Interface
                serviceName: web-svc
                vpc: consumer
                subnets: [consumer-1a, consumer-1c, subnet-1b]
                principal: "arn:aws:iam::999999999999:root"
              - {name: ep-b, vpcEndpointType: Interface, serviceName: web-svcs, vpc: consumer, subnets: [], principal: alice}
            """
        let services = "endpointServices"
        #expect(issueDescriptions(yaml) == [
            "state.yaml:24: \(services)[0].networkLoadBalancers[1]: "
                + "'web-alb' is an application load balancer; endpoint services use network ones",
            "state.yaml:24: \(services)[0].networkLoadBalancers[2]: unknown load balancer 'nlb-x'",
            "state.yaml:25: \(services)[0].allowedPrincipals[0]: "
                + "'bob' is not '*' or an IAM ARN like arn:aws:iam::123456789012:root",
            "state.yaml:26: \(services)[0].acceptedEndpoints: acceptedEndpoints is only used when acceptanceRequired is true",
            "state.yaml:26: \(services)[0].acceptedEndpoints[1]: unknown VPC endpoint 'ep-x' (did you mean 'ep-a'?)",
            "state.yaml:27: \(services)[1].networkLoadBalancers[0]: network load balancer 'svc-nlb' already backs \(services)[0]",
            "state.yaml:28: \(services)[2].networkLoadBalancers: an endpoint service needs at least one network load balancer",
            "state.yaml:28: \(services)[2].acceptedEndpoints[0]: VPC endpoint 'ep-b' connects to service 'web-svcs', not 'empty-svc'",
            "state.yaml:34: vpcEndpoints[0].subnets[1]: "
                + "subnet 'consumer-1c' is in AZ 'local-1c', where service 'web-svc' is not available (it is in local-1a)",
            "state.yaml:34: vpcEndpoints[0].subnets[2]: subnet 'subnet-1b' is in VPC 'main', not in the endpoint's VPC 'consumer'",
            "state.yaml:35: vpcEndpoints[0].principal: endpoint 'ep-a': principal "
                + "'arn:aws:iam::999999999999:root' is not in the allowedPrincipals of service 'web-svc' "
                + "(bob, arn:aws:iam::123456789012:root)",
            "state.yaml:36: vpcEndpoints[1].serviceName: unknown endpoint service 'web-svcs' (did you mean 'web-svc'?)",
            "state.yaml:36: vpcEndpoints[1].subnets: an endpoint needs at least one subnet",
            "state.yaml:36: vpcEndpoints[1].principal: 'alice' is not an IAM ARN like arn:aws:iam::123456789012:root",
        ])
    }

    @Test func onlyInterfaceEndpointsExist() {
        let yaml = network + """
            vpcEndpoints:
              - {name: ep-a, vpcEndpointType: Gateway, serviceName: web-svc, vpc: consumer, subnets: [consumer-1a]}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:20: vpcEndpoints[0].vpcEndpointType: 'Gateway' is not one of Interface",
        ])
    }
}
