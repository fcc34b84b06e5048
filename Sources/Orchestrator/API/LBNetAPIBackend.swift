import AWSAPI

/// Answers the AWS API calls lbnet carries out, from the applied model and the daemon's status
/// report; every other action is refused with its name (``APIError/invalidAction(_:service:)``).
struct LBNetAPIBackend: APIBackend {
    let identity = AWSIdentity()
    let creationTimes: APICreationTimes
    let model: @Sendable () -> DeploymentModel?
    let report: @Sendable () async -> StatusReport?

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
        case (.elasticLoadBalancingV2, "DescribeAccountLimits"):
            return await elb(withReport: false).describeAccountLimits()
        case (.ec2, "DescribeVpcs"):
            return try ec2.describeVpcs(parameters)
        case (.ec2, "DescribeSubnets"):
            return try ec2.describeSubnets(parameters)
        case (.ec2, "DescribeAvailabilityZones"):
            return try ec2.describeAvailabilityZones(parameters)
        case (.ec2, "DescribeAddresses"):
            return try ec2.describeAddresses(parameters)
        default:
            throw .invalidAction(call.action, service: call.service.displayName)
        }
    }

    private func elb(withReport: Bool) async -> ELBv2Describer {
        ELBv2Describer(identity: identity, creationTimes: creationTimes, model: model(), report: withReport ? await report() : nil)
    }

    private var ec2: EC2Describer { EC2Describer(identity: identity, model: model()) }
}
