import AWSAPI

/// Answers the AWS API calls lbnet carries out: describe calls from the applied model and the
/// daemon's status report, changes through the desired-state editor; every other action is
/// refused with its name (``APIError/invalidAction(_:service:)``).
struct LBNetAPIBackend: APIBackend {
    let identity = AWSIdentity()
    let creationTimes: APICreationTimes
    let report: @Sendable () async -> StatusReport?
    let editor: DesiredStateEditor
    let tags: APITagStore
    let terminatedInstances = TerminatedInstances()

    /// The newest desired model, edits the kernel does not match yet included.
    private func model() -> DeploymentModel? { editor.model() }

    private var changes: ELBv2Changes {
        ELBv2Changes(identity: identity, editor: editor) { [identity, creationTimes] model in
            ELBv2Describer(identity: identity, creationTimes: creationTimes, model: model, report: nil)
        }
    }

    let clientTokens = ClientTokenCache()

    func handle(_ call: APICall) async throws(APIError) -> [XMLNode] {
        // RunInstances keeps its tokens in the state file (across restarts, with EC2's IdempotentParameterMismatch).
        let token = call.action == "RunInstances" ? nil : call.parameters["ClientToken"]
        return try await clientTokens.answer(call.action, token: token) { () async throws(APIError) in try await tagged(call) }
    }

    /// The call with its tags taken and given (``APITagging``), after the tags of resources no
    /// longer in the desired state are dropped.
    private func tagged(_ call: APICall) async throws(APIError) -> [XMLNode] {
        try tags.retain { [identity, editor] in editor.model().map { TaggableResources(identity: identity, model: $0).keys } }
        return try await APITagging(calls: tagCalls).answer(call) { parameters throws(APIError) in
            try await answer(APICall(service: call.service, action: call.action, parameters: parameters, requestId: call.requestId))
        }
    }

    private func answer(_ call: APICall) async throws(APIError) -> [XMLNode] {
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
            return try tagCalls.describeELBv2Tags(parameters)
        case (.elasticLoadBalancingV2, "AddTags"): return try tagCalls.addTags(parameters)
        case (.elasticLoadBalancingV2, "RemoveTags"): return try tagCalls.removeTags(parameters)
        case (.ec2, "CreateTags"): return try tagCalls.createTags(parameters)
        case (.ec2, "DeleteTags"): return try tagCalls.deleteTags(parameters)
        case (.elasticLoadBalancingV2, "DescribeAccountLimits"):
            return await elb(withReport: false).describeAccountLimits()
        case (.elasticLoadBalancingV2, "DescribeSSLPolicies"):
            return try await elb(withReport: false).describeSSLPolicies(parameters)
        case (.elasticLoadBalancingV2, "DescribeCapacityReservation"):
            return try await elb(withReport: false).describeCapacityReservation(parameters)
        case (.elasticLoadBalancingV2, "DescribeLoadBalancerAttributes"): return try attributes.describeLoadBalancerAttributes(parameters)
        case (.elasticLoadBalancingV2, "ModifyLoadBalancerAttributes"): return try await attributes.modifyLoadBalancerAttributes(parameters)
        case (.elasticLoadBalancingV2, "DescribeTargetGroupAttributes"): return try attributes.describeTargetGroupAttributes(parameters)
        case (.elasticLoadBalancingV2, "ModifyTargetGroupAttributes"): return try await attributes.modifyTargetGroupAttributes(parameters)
        case (.elasticLoadBalancingV2, "DescribeListenerAttributes"): return try attributes.describeListenerAttributes(parameters)
        case (.elasticLoadBalancingV2, "ModifyListenerAttributes"): return try await attributes.modifyListenerAttributes(parameters)
        case (.elasticLoadBalancingV2, "ModifyTargetGroup"): return try await modifications.modifyTargetGroup(parameters)
        case (.elasticLoadBalancingV2, "ModifyListener"): return try await modifications.modifyListener(parameters)
        case (.elasticLoadBalancingV2, "SetSecurityGroups"): return try await modifications.setSecurityGroups(parameters)
        case (.elasticLoadBalancingV2, "SetSubnets"): return try await modifications.setSubnets(parameters)
        case (.elasticLoadBalancingV2, "CreateRule"): return try await rules.createRule(parameters)
        case (.elasticLoadBalancingV2, "DescribeRules"): return try rules.describeRules(parameters)
        case (.elasticLoadBalancingV2, "ModifyRule"): return try await rules.modifyRule(parameters)
        case (.elasticLoadBalancingV2, "SetRulePriorities"): return try await rules.setRulePriorities(parameters)
        case (.elasticLoadBalancingV2, "DeleteRule"): return try await rules.deleteRule(parameters)
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
        case (.ec2, "DescribeVpcAttribute"): return try vpcDefaults.describeVpcAttribute(parameters)
        case (.ec2, "ModifyVpcAttribute"): return try vpcDefaults.modifyVpcAttribute(parameters)
        case (.ec2, "DescribeRouteTables"): return try vpcDefaults.describeRouteTables(parameters)
        case (.ec2, "DescribeNetworkAcls"): return try vpcDefaults.describeNetworkAcls(parameters)
        case (.ec2, "DescribeSecurityGroups"): return try securityGroups.describe(parameters)
        case (.ec2, "CreateSecurityGroup"): return try await securityGroups.create(parameters)
        case (.ec2, "DeleteSecurityGroup"): return try await securityGroups.delete(parameters)
        case (.ec2, "AuthorizeSecurityGroupIngress"): return try await securityGroups.change(parameters, ingress: true, authorize: true)
        case (.ec2, "AuthorizeSecurityGroupEgress"): return try await securityGroups.change(parameters, ingress: false, authorize: true)
        case (.ec2, "RevokeSecurityGroupIngress"): return try await securityGroups.change(parameters, ingress: true, authorize: false)
        case (.ec2, "RevokeSecurityGroupEgress"): return try await securityGroups.change(parameters, ingress: false, authorize: false)
        case (.ec2, "DescribeNetworkInterfaces"): return try NetworkInterfaceCalls(identity: identity, model: model()).describe(parameters)
        case (.ec2, "AllocateAddress"): return try await elasticIPs.allocate(parameters)
        case (.ec2, "ReleaseAddress"): return try await elasticIPs.release(parameters)
        case (.ec2, "DisassociateAddress"): return try elasticIPs.disassociate(parameters, model: model())
        case (.ec2, "AssociateAddress"): return try elasticIPs.associate(parameters)
        case (.ec2, "DescribeAddressesAttribute"): return try elasticIPs.describeAttribute(parameters, model: model())
        case (.ec2, "CreateVpcEndpoint"): return try await endpoints.create(parameters)
        case (.ec2, "DescribeVpcEndpoints"): return try endpoints.describe(parameters)
        case (.ec2, "DeleteVpcEndpoints"): return try await endpoints.delete(parameters)
        case (.ec2, "DescribeVpcEndpointServicePermissions"): return try endpoints.describePermissions(parameters)
        case (.ec2, "ModifyVpcEndpointServicePermissions"): return try await endpoints.modifyPermissions(parameters)
        case (.ec2, "AcceptVpcEndpointConnections"): return try await endpoints.acceptOrReject(parameters, accept: true)
        case (.ec2, "RejectVpcEndpointConnections"): return try await endpoints.acceptOrReject(parameters, accept: false)
        case (.ec2, "DescribePrefixLists"): return try endpoints.describePrefixLists(parameters)
        case (.ec2, "DescribeVpcs"):
            return try ec2.describeVpcs(parameters)
        case (.ec2, "DescribeSubnets"):
            return try ec2.describeSubnets(parameters)
        case (.ec2, "DescribeAvailabilityZones"):
            return try ec2.describeAvailabilityZones(parameters)
        case (.ec2, "DescribeInstances"): return try await instanceDescriber(model()).describeInstances(parameters)
        case (.ec2, "DescribeInstanceAttribute"): return try await instanceDescriber(model()).describeInstanceAttribute(parameters)
        case (.ec2, "DescribeInstanceCreditSpecifications"): return try await instanceDescriber(model()).describeInstanceCreditSpecifications(parameters)
        case (.ec2, "DescribeInstanceTypes"): return try await instanceDescriber(model()).describeInstanceTypes(parameters)
        case (.ec2, "DescribeVolumes"): return try await instanceDescriber(model()).describeVolumes(parameters)
        case (.ec2, "DescribeTags"): return try tagCalls.describeEC2Tags(parameters)
        case (.ec2, "RunInstances"): return try await instanceCalls.runInstances(parameters)
        case (.ec2, "TerminateInstances"): return try await instanceCalls.terminateInstances(parameters)
        case (.ec2, "ModifyInstanceAttribute"): return try await instanceCalls.modifyInstanceAttribute(parameters)
        case (.ec2, "DescribeAddresses"):
            return try ec2.describeAddresses(parameters)
        default:
            throw .invalidAction(call.action, service: call.service.displayName)
        }
    }

    private func elb(withReport: Bool) async -> ELBv2Describer {
        ELBv2Describer(identity: identity, creationTimes: creationTimes, model: model(), report: withReport ? await report() : nil)
    }

    private var tagCalls: TagCalls { TagCalls(identity: identity, store: tags, model: model()) }

    private var securityGroups: SecurityGroupCalls { SecurityGroupCalls(identity: identity, editor: editor, model: model()) }

    private var modifications: ELBv2Modifications { ELBv2Modifications(changes: changes) }

    private var endpointServices: EndpointServiceCalls { EndpointServiceCalls(identity: identity, editor: editor, model: editor.model) }

    private var ec2Changes: EC2Changes { EC2Changes(identity: identity, editor: editor) }

    private var ec2: EC2Describer { EC2Describer(identity: identity, model: model()) }

    private var vpcDefaults: EC2VPCDefaults { EC2VPCDefaults(identity: identity, model: model()) }

    private var elasticIPs: ElasticIPCalls { ElasticIPCalls(identity: identity, editor: editor) }

    private var endpoints: VPCEndpointCalls { VPCEndpointCalls(identity: identity, editor: editor, model: model()) }

    private var attributes: ELBv2AttributeCalls { ELBv2AttributeCalls(identity: identity, editor: editor, model: model()) }

    private var rules: ListenerRuleCalls { ListenerRuleCalls(identity: identity, editor: editor, model: model(), changes: changes) }

    private func instanceDescriber(_ applied: DeploymentModel?) async -> EC2InstanceDescriber {
        EC2InstanceDescriber(identity: identity, creationTimes: creationTimes, model: applied, report: await report(),
                             terminated: terminatedInstances.recent)
    }

    private var instanceCalls: EC2InstanceCalls {
        EC2InstanceCalls(identity: identity, editor: editor, describer: { [self] applied in await instanceDescriber(applied) },
                         terminated: terminatedInstances)
    }
}
