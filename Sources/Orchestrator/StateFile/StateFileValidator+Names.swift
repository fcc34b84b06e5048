extension StateFileValidator {
    /// The host name lbnet keeps for its simulated internet.
    static let reservedHostNames = ["internet"]

    /// Name syntax everywhere, and uniqueness within each namespace.
    /// Instances, load balancers and VPC endpoints share one namespace: they all become hosts.
    mutating func validateNames() {
        var vpcs: [String: FieldPath] = [:]
        var subnets: [String: FieldPath] = [:]
        for (vpcPosition, vpc) in file.vpcs.enumerated() {
            let vpcPath = Self.path("vpcs", vpcPosition)
            claim(vpc.name, at: vpcPath, in: &vpcs)
            for (position, subnet) in vpc.subnets.enumerated() {
                let subnetPath = vpcPath.key("subnets").index(position)
                claim(subnet.name, at: subnetPath, in: &subnets)
                if let problem = NameRule.problem(with: subnet.az) {
                    report(problem, at: subnetPath.key("az"))
                }
            }
        }

        var hosts: [String: FieldPath] = [:]
        let reserved = Self.reservedHostNames
        for (position, instance) in file.instances.enumerated() {
            claim(instance.name, at: Self.path("instances", position), in: &hosts, reserved: reserved)
        }
        for (position, loadBalancer) in file.loadBalancers.enumerated() {
            claim(loadBalancer.name, at: Self.path("loadBalancers", position), in: &hosts, reserved: reserved)
        }
        for (position, endpoint) in file.vpcEndpoints.enumerated() {
            claim(endpoint.name, at: Self.path("vpcEndpoints", position), in: &hosts, reserved: reserved)
        }

        var elasticIps: [String: FieldPath] = [:]
        for (position, elasticIP) in file.elasticIps.enumerated() {
            claim(elasticIP.name, at: Self.path("elasticIps", position), in: &elasticIps)
        }
        var targetGroups: [String: FieldPath] = [:]
        for (position, targetGroup) in file.targetGroups.enumerated() {
            claim(targetGroup.name, at: Self.path("targetGroups", position), in: &targetGroups)
        }
        var services: [String: FieldPath] = [:]
        for (position, service) in file.endpointServices.enumerated() {
            claim(service.name, at: Self.path("endpointServices", position), in: &services)
        }
    }

    /// Checks the syntax of the name of the object at `objectPath` and records it in `namespace`,
    /// reporting a name another object already has or one of the `reserved` names.
    private mutating func claim(
        _ name: String, at objectPath: FieldPath, in namespace: inout [String: FieldPath], reserved: [String] = []
    ) {
        let path = objectPath.key("name")
        if let problem = NameRule.problem(with: name) {
            report(problem, at: path)
        } else if reserved.contains(name) {
            report("'\(name)' is a reserved host name", at: path)
        } else if let owner = namespace[name] {
            report("duplicate name '\(name)': already used by \(owner)", at: path)
        } else {
            namespace[name] = objectPath
        }
    }
}
