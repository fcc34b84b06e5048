extension StateFileValidator {
    /// AWS's quotas: security groups per network interface, rules per direction of a group.
    static let securityGroupsPerInterface = 5
    static let rulesPerDirection = 60

    /// Security groups (names per VPC, rules, references) and their attachments to instances,
    /// load balancers and VPC endpoints, with AWS's rule for network load balancers.
    mutating func validateSecurityGroups() {
        var declared: [String: FieldPath] = [:]
        for (position, group) in file.securityGroups.enumerated() {
            let path = Self.path("securityGroups", position)
            let namePath = path.key("name")
            if let problem = NameRule.problem(with: group.name) {
                report(problem, at: namePath)
            } else {
                // Names are unique across VPCs, but every VPC has its own `default`.
                let key = group.name == StateFile.SecurityGroup.defaultName ? "\(group.vpc)/\(group.name)" : group.name
                if let owner = declared[key] {
                    report("duplicate name '\(group.name)': already used by \(owner)", at: namePath)
                } else {
                    declared[key] = path
                }
            }
            guard vpc(named: group.vpc, at: path.key("vpc")) != nil else { continue }
            checkRules(group.ingress, of: group, peerKey: "sourceSecurityGroup", at: path.key("ingress"))
            checkRules(group.egress ?? [], of: group, peerKey: "destinationSecurityGroup", at: path.key("egress"))
        }
        for (position, instance) in file.instances.enumerated() {
            guard let vpc = index.subnets[instance.subnet]?.vpc.name else { continue }
            checkAttachment(instance.securityGroups, vpc: vpc, at: Self.path("instances", position).key("securityGroups"))
        }
        for (position, endpoint) in file.vpcEndpoints.enumerated() where index.vpcs[endpoint.vpc] != nil {
            checkAttachment(endpoint.securityGroups, vpc: endpoint.vpc, at: Self.path("vpcEndpoints", position).key("securityGroups"))
        }
        for (position, loadBalancer) in file.loadBalancers.enumerated() {
            let path = Self.path("loadBalancers", position)
            if let vpc = vpcName(of: loadBalancer) {
                checkAttachment(loadBalancer.securityGroups, vpc: vpc, at: path.key("securityGroups"))
            }
            checkNetworkLoadBalancerSecurityGroups(loadBalancer, at: path)
        }
    }

    private mutating func checkRules(
        _ rules: [StateFile.SecurityGroupRule], of group: StateFile.SecurityGroup, peerKey: String, at path: FieldPath
    ) {
        if rules.count > Self.rulesPerDirection {
            report("\(rules.count) rules; a security group has at most \(Self.rulesPerDirection) per direction", at: path)
        }
        for (position, rule) in rules.enumerated() {
            let rulePath = path.index(position)
            checkPorts(of: rule, at: rulePath)
            if case .securityGroup(let name) = rule.peer {
                checkReference(name, vpc: group.vpc, at: rulePath.key(peerKey))
            }
        }
    }

    /// EC2's rules for `fromPort`/`toPort`: a range for TCP and UDP, type and code for ICMP.
    private mutating func checkPorts(of rule: StateFile.SecurityGroupRule, at path: FieldPath) {
        guard let value = rule.protocolValue else {
            report("'\(rule.ipProtocol)' is not a protocol: use tcp, udp, icmp, -1 (all) or a number 0-255",
                   at: path.key("ipProtocol"))
            return
        }
        switch value {
        case .tcp, .udp:
            guard let from = rule.fromPort, let to = rule.toPort else {
                report("\(rule.ipProtocol) rules need fromPort and toPort", at: path)
                return
            }
            checkRange(from, 0...65535, "fromPort", at: path.key("fromPort"))
            checkRange(to, 0...65535, "toPort", at: path.key("toPort"))
            if from > to {
                report("fromPort \(from) is greater than toPort \(to)", at: path.key("fromPort"))
            }
        case .icmp:
            let type = rule.fromPort ?? -1
            let code = rule.toPort ?? -1
            checkRange(type, -1...255, "ICMP type (fromPort)", at: path.key("fromPort"))
            checkRange(code, -1...255, "ICMP code (toPort)", at: path.key("toPort"))
            if type == -1, code != -1 {
                report("all ICMP types (fromPort -1) need all codes (toPort -1)", at: path.key("toPort"))
            }
        case .all, .number:
            break  // AWS ignores ports for these protocols
        }
    }

    /// A group named by an attachment or a rule: declared (or `default`) in `vpc`.
    private mutating func checkReference(_ name: String, vpc: String, at path: FieldPath) {
        if name == StateFile.SecurityGroup.defaultName { return }
        let matches = file.securityGroups.filter { $0.name == name }
        if matches.isEmpty {
            reportUnknown("security group", name, among: file.securityGroups.map(\.name) + [StateFile.SecurityGroup.defaultName],
                          at: path)
        } else if !matches.contains(where: { $0.vpc == vpc }) {
            report("security group '\(name)' is in VPC '\(matches[0].vpc)', not '\(vpc)'", at: path)
        }
    }

    private mutating func checkAttachment(_ names: [String], vpc: String, at path: FieldPath) {
        if names.count > Self.securityGroupsPerInterface {
            report("\(names.count) security groups; a network interface has at most \(Self.securityGroupsPerInterface)", at: path)
        }
        var seen: Set<String> = []
        for (position, name) in names.enumerated() {
            if !seen.insert(name).inserted {
                report("security group '\(name)' is listed twice", at: path.index(position))
                continue
            }
            checkReference(name, vpc: vpc, at: path.index(position))
        }
    }

    /// AWS: a network load balancer created without security groups cannot get them later, and
    /// `enforceSecurityGroupInboundRulesOnPrivateLinkTraffic` needs a network load balancer with security groups.
    private mutating func checkNetworkLoadBalancerSecurityGroups(_ loadBalancer: StateFile.LoadBalancer, at path: FieldPath) {
        let enforcePath = path.key("enforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
        if loadBalancer.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic != nil {
            if loadBalancer.type != .network {
                report("enforceSecurityGroupInboundRulesOnPrivateLinkTraffic is only for network load balancers", at: enforcePath)
            } else if loadBalancer.securityGroups.isEmpty {
                report("enforceSecurityGroupInboundRulesOnPrivateLinkTraffic applies only to a network load balancer with "
                       + "security groups", at: enforcePath)
            }
        }
        guard loadBalancer.type == .network, !loadBalancer.securityGroups.isEmpty,
              let before = previous?.loadBalancers.first(where: { $0.name == loadBalancer.name && $0.type == .network }),
              before.securityGroups.isEmpty else { return }
        report("network load balancer '\(loadBalancer.name)' was created without security groups and cannot get them later "
               + "(InvalidConfigurationRequest); create a new load balancer with them", at: path.key("securityGroups"))
    }
}
