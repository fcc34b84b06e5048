import AWSAPI

/// The resources of a desired state that carry tags, by the key clients name them with (an
/// EC2 ID, an ELBv2 ARN): their resource type as EC2's DescribeTags names it (ELBv2's: the
/// ARN's resource kind) and, for file-made EC2 objects, the `Name` tag their lbnet name gives.
struct TaggableResources {
    struct Resource: Equatable {
        let type: String
        let nameTag: String?
    }

    let resources: [String: Resource]

    init(identity: AWSIdentity, model: DeploymentModel?) {
        resources = model.map { Self.resources(identity: identity, model: $0) } ?? [:]
    }

    private static func resources(identity: AWSIdentity, model: DeploymentModel) -> [String: Resource] {
        var resources: [String: Resource] = [:]
        let file = model.file
        func add(_ key: String, _ type: String, name: String? = nil, idPrefix: String? = nil) {
            let fileMade = name != nil && !(idPrefix.map { AWSIdentity.isID(name!, $0) } ?? true)
            resources[key] = Resource(type: type, nameTag: fileMade ? name : nil)
        }
        for vpc in file.vpcs {
            add(identity.vpcId(vpc.name), "vpc", name: vpc.name, idPrefix: "vpc-")
            for subnet in vpc.subnets { add(identity.subnetId(subnet.name), "subnet", name: subnet.name, idPrefix: "subnet-") }
        }
        for instance in file.instances { add(identity.instanceId(instance.name), "instance", name: instance.name, idPrefix: "i-") }
        let declared = Set(file.elasticIps.map(\.name))
        for allocation in model.elasticIPs.allocations.values where declared.contains(allocation.name) {
            add(allocation.allocationId, "elastic-ip", name: allocation.name, idPrefix: "eip-")
        }
        for groups in SecurityGroupDirectory(file: file).groups.values {
            for group in groups.values { add(identity.securityGroupId(group.name, vpc: group.vpc), "security-group") }
        }
        for service in file.endpointServices { add(identity.endpointServiceId(service.name), "vpc-endpoint-service") }
        for endpoint in file.vpcEndpoints { add(endpoint.name, "vpc-endpoint") }
        let rules = ListenerRuleARNs(identity: identity)
        for balancer in file.loadBalancers {
            add(identity.loadBalancerArn(balancer.name, type: balancer.type), "loadbalancer")
            for listener in balancer.listeners {
                let listenerArn = rules.identity.listenerArn(balancer, listener)
                add(listenerArn, "listener")
                add(rules.defaultRuleArn(listenerArn), "listener-rule")
                for rule in listener.rules { add(rules.ruleArn(listenerArn: listenerArn, id: rules.ruleId(rule, of: listenerArn)), "listener-rule") }
            }
        }
        for group in file.targetGroups { add(identity.targetGroupArn(group.name), "targetgroup") }
        return resources
    }

    var keys: Set<String> { Set(resources.keys) }

    /// ELBv2's refusal for an ARN that names no load balancer, target group, listener or rule.
    func requireELBv2(_ arn: String) throws(APIError) {
        if resources[arn] != nil, arn.hasPrefix("arn:") { return }
        if arn.contains(":loadbalancer/") { throw APIError("LoadBalancerNotFound", "One or more load balancers not found") }
        if arn.contains(":targetgroup/") { throw APIError("TargetGroupNotFound", "One or more target groups not found") }
        if arn.contains(":listener-rule/") { throw APIError("RuleNotFound", "One or more rules not found") }
        if arn.contains(":listener/") { throw APIError("ListenerNotFound", "One or more listeners not found") }
        throw APIError("ValidationError", "'\(arn)' is not the ARN of a load balancer, target group, listener or rule")
    }

    /// EC2's refusal for an ID that names no taggable resource of this state.
    func requireEC2(_ id: String) throws(APIError) {
        if resources[id] != nil, !id.hasPrefix("arn:") { return }
        let notFound: [(prefix: String, code: String)] = [
            ("vpce-svc-", "InvalidVpcEndpointServiceId.NotFound"), ("vpce-", "InvalidVpcEndpointId.NotFound"), ("vpc-", "InvalidVpcID.NotFound"),
            ("subnet-", "InvalidSubnetID.NotFound"), ("i-", "InvalidInstanceID.NotFound"), ("eipalloc-", "InvalidAllocationID.NotFound"),
            ("sg-", "InvalidGroup.NotFound"),
        ]
        guard let match = notFound.first(where: { id.hasPrefix($0.prefix) }) else {
            throw APIError("InvalidID", "The ID '\(id)' is not valid: lbnet tags VPCs, subnets, instances, Elastic IPs, security groups, endpoint services and endpoints")
        }
        throw APIError(match.code, "The ID '\(id)' does not exist")
    }
}
