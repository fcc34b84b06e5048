import AWSAPI

/// The way back from the IDs and ARNs a client sends to the names of the state file.
struct APINames {
    let identity: AWSIdentity
    let file: StateFile
    let model: DeploymentModel?

    func subnet(id: String) throws(APIError) -> String {
        guard let subnet = file.vpcs.flatMap(\.subnets).first(where: { identity.subnetId($0.name) == id }) else {
            throw APIError("SubnetNotFound", "The subnet ID '\(id)' was not found")
        }
        return subnet.name
    }

    func vpc(id: String) throws(APIError) -> String {
        guard let vpc = file.vpcs.first(where: { identity.vpcId($0.name) == id }) else {
            throw APIError("ValidationError", "The VPC ID '\(id)' is not found")
        }
        return vpc.name
    }

    func loadBalancer(arn: String) throws(APIError) -> Int {
        guard let index = file.loadBalancers.firstIndex(where: { identity.loadBalancerArn($0.name, type: $0.type) == arn }) else {
            throw APIError("LoadBalancerNotFound", "One or more load balancers not found")
        }
        return index
    }

    func targetGroup(arn: String) throws(APIError) -> Int {
        guard let index = file.targetGroups.firstIndex(where: { identity.targetGroupArn($0.name) == arn }) else {
            throw APIError("TargetGroupNotFound", "One or more target groups not found")
        }
        return index
    }

    /// The names of the groups `ids` name in `vpc`.
    func securityGroups(ids: [String], vpc: String) throws(APIError) -> [String] {
        let groups = SecurityGroupDirectory(file: file).groups[vpc] ?? [:]
        return try ids.map { id throws(APIError) in
            guard let group = groups.values.first(where: { identity.securityGroupId($0.name, vpc: vpc) == id }) else {
                throw APIError("InvalidSecurityGroup", "The security group '\(id)' does not exist in this VPC")
            }
            return group.name
        }
    }

    /// The VPC a subnet (by its name in the file) belongs to.
    func vpc(ofSubnet subnet: String) -> String? { file.vpcs.first { $0.subnets.contains { $0.name == subnet } }?.name }

    /// The Elastic IP (its name in the file) an allocation ID names.
    func elasticIP(allocationId: String) throws(APIError) -> String {
        guard let allocation = model?.elasticIPs.allocations.values.first(where: { $0.allocationId == allocationId }),
              file.elasticIps.contains(where: { $0.name == allocation.name }) else {
            throw APIError("InvalidAllocationID.NotFound", "The allocation ID '\(allocationId)' does not exist")
        }
        return allocation.name
    }

    /// A target as the file names it: an instance's name, an IP address, or an ALB's name.
    func target(id: String, type: StateFile.TargetType) throws(APIError) -> String {
        switch type {
        case .instance:
            guard let instance = file.instances.first(where: { identity.instanceId($0.name) == id }) else {
                throw APIError("InvalidTarget", "The following targets are not valid instances: '\(id)'")
            }
            return instance.name
        case .ip:
            return id
        case .alb:
            guard let balancer = file.loadBalancers.first(where: { identity.loadBalancerArn($0.name, type: $0.type) == id }) else {
                throw APIError("InvalidTarget", "The following targets are not valid application load balancers: '\(id)'")
            }
            return balancer.name
        }
    }
}

extension QueryParameters {
    /// Refuses every parameter not among `known` (names, or prefixes ending in `.`): what lbnet
    /// does not carry out is named, not ignored.
    func refuseUnknown(_ action: String, known: [String]) throws(APIError) {
        for key in values.keys.sorted() where !["Action", "Version"].contains(key) {
            guard known.contains(where: { $0.hasSuffix(".") ? key.hasPrefix($0) : key == $0 }) else {
                let name = key.split(separator: ".").first.map(String.init) ?? key
                throw APIError("ValidationError", "lbnet does not implement the parameter \(name) of \(action) yet")
            }
        }
    }
}
