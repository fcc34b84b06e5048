import AWSAPI

/// Answers the AWS API calls lbnet carries out: describe calls from the applied model and the
/// daemon's status report, changes through the desired-state editor; every other action is
/// refused with its name (``APIError/invalidAction(_:service:)``).
struct LBNetAPIBackend: APIBackend {
    let identity = AWSIdentity()
    let creationTimes: APICreationTimes
    let model: @Sendable () -> DeploymentModel?
    let report: @Sendable () async -> StatusReport?
    let editor: DesiredStateEditor

    private var changes: ELBv2Changes {
        ELBv2Changes(identity: identity, editor: editor) { [identity, creationTimes] model in
            ELBv2Describer(identity: identity, creationTimes: creationTimes, model: model, report: nil)
        }
    }

    func handle(_ call: APICall) async throws(APIError) -> [XMLNode] {
        let parameters = call.parameters
        switch (call.service, call.action) {
        case (.sts, "GetCallerIdentity"):
            return [.text("UserId", identity.accountId), .text("Account", identity.accountId),
                    .text("Arn", "arn:aws:iam::\(identity.accountId):root")]
        case (.elasticLoadBalancingV2, "DescribeLoadBalancers"):
            return try await elb(withReport: true).describeLoadBalancers(parameters)
        case (.elasticLoadBalancingV2, "DescribeListeners"):
            return try await elb(withReport: false).describeListeners(parameters)
        case (.elasticLoadBalancingV2, "DescribeTargetGroups"):
            return try await elb(withReport: false).describeTargetGroups(parameters)
        case (.elasticLoadBalancingV2, "DescribeTargetHealth"):
            return try await elb(withReport: true).describeTargetHealth(parameters)
        case (.elasticLoadBalancingV2, "DescribeTags"):
            return try await elb(withReport: false).describeTags(parameters)
        case (.elasticLoadBalancingV2, "DescribeAccountLimits"):
            return await elb(withReport: false).describeAccountLimits()
        case (.elasticLoadBalancingV2, "CreateLoadBalancer"): return try await changes.createLoadBalancer(parameters)
        case (.elasticLoadBalancingV2, "DeleteLoadBalancer"): return try await changes.deleteLoadBalancer(parameters)
        case (.elasticLoadBalancingV2, "CreateTargetGroup"): return try await changes.createTargetGroup(parameters)
        case (.elasticLoadBalancingV2, "DeleteTargetGroup"): return try await changes.deleteTargetGroup(parameters)
        case (.elasticLoadBalancingV2, "RegisterTargets"): return try await changes.registerTargets(parameters, register: true)
        case (.elasticLoadBalancingV2, "DeregisterTargets"): return try await changes.registerTargets(parameters, register: false)
        case (.elasticLoadBalancingV2, "CreateListener"): return try await changes.createListener(parameters)
        case (.elasticLoadBalancingV2, "DeleteListener"): return try await changes.deleteListener(parameters)
        case (.ec2, "CreateVpc"): return try await ec2Changes.createVpc(parameters)
        case (.ec2, "DeleteVpc"): return try await ec2Changes.deleteVpc(parameters)
        case (.ec2, "CreateSubnet"): return try await ec2Changes.createSubnet(parameters)
        case (.ec2, "DeleteSubnet"): return try await ec2Changes.deleteSubnet(parameters)
        case (.ec2, "CreateVpcEndpointServiceConfiguration"): return try await endpointServices.create(parameters)
        case (.ec2, "DescribeVpcEndpointServiceConfigurations"): return try endpointServices.describe(parameters)
        case (.ec2, "DeleteVpcEndpointServiceConfigurations"): return try await endpointServices.delete(parameters)
        case (.ec2, "DescribeVpcs"):
            return try ec2.describeVpcs(parameters)
        case (.ec2, "DescribeSubnets"):
            return try ec2.describeSubnets(parameters)
        case (.ec2, "DescribeAvailabilityZones"):
            return try ec2.describeAvailabilityZones(parameters)
        case (.ec2, "DescribeInstances"):
            return try ec2.describeInstances(parameters)
        case (.ec2, "DescribeAddresses"):
            return try ec2.describeAddresses(parameters)
        default:
            throw .invalidAction(call.action, service: call.service.displayName)
        }
    }

    private func elb(withReport: Bool) async -> ELBv2Describer {
        ELBv2Describer(identity: identity, creationTimes: creationTimes, model: model(), report: withReport ? await report() : nil)
    }

    private var endpointServices: EndpointServiceCalls { EndpointServiceCalls(identity: identity, editor: editor, model: model) }

    private var ec2Changes: EC2Changes { EC2Changes(identity: identity, editor: editor) }

    private var ec2: EC2Describer { EC2Describer(identity: identity, model: model()) }
}
