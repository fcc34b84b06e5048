import AWSAPI
import Kernel

/// EC2's security group calls over the state file's `securityGroups` (each VPC's `default`
/// group included, declared or not): create, describe, authorize and revoke rules, delete.
/// A group the API creates is named by its `sg-` ID and keeps its AWS name in `groupName`.
/// One `IpPermission` with several ranges or groups becomes one rule per peer; answers group
/// rules with the same protocol and ports back into one permission, as AWS does.
struct SecurityGroupCalls {
    let identity: AWSIdentity
    let editor: DesiredStateEditor
    let model: DeploymentModel?

    func create(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("CreateSecurityGroup", known: ["GroupName", "GroupDescription", "VpcId"])
        let groupName = try p.required("GroupName"), description = try p.required("GroupDescription"), vpcId = try p.required("VpcId")
        guard !groupName.lowercased().hasPrefix("sg-") else {
            throw APIError("InvalidParameterValue", "Group names may not be in the format sg-*")
        }
        let name = AWSIdentity.newID("sg-")
        _ = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            let vpc = try APINames(identity: identity, file: file, model: current).vpc(id: vpcId)
            if SecurityGroupDirectory(file: file).groups[vpc]?.values.contains(where: { ($0.groupName ?? $0.name) == groupName }) == true {
                throw APIError("InvalidGroup.Duplicate", "The security group '\(groupName)' already exists for VPC '\(vpcId)'")
            }
            file.securityGroups.append(StateFile.SecurityGroup(name: name, vpc: vpc, description: description, groupName: groupName))
        }
        return [.text("return", "true"), .text("groupId", name),
                .text("securityGroupArn", "arn:aws:ec2:\(identity.region):\(identity.accountId):security-group/\(name)")]
    }

    func describe(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        let filters = try EC2Filter.of(p, known: ["vpc-id", "group-id", "group-name", "owner-id", "description", "tag:"])
        try p.refuseUnknown("DescribeSecurityGroups", known: ["Filter.", "GroupId.", "GroupName.", "MaxResults", "NextToken"])
        let askedIds = p.ec2List("GroupId"), askedNames = p.ec2List("GroupName")
        let file = model?.file ?? StateFile()
        let items: [[XMLNode]] = groups(in: file).compactMap { group in
            let id = identity.securityGroupId(group.name, vpc: group.vpc), vpcId = identity.vpcId(group.vpc)
            let groupName = group.groupName ?? group.name
            guard askedIds.isEmpty || askedIds.contains(id), askedNames.isEmpty || askedNames.contains(groupName),
                  EC2Filter.matches(filters, ["vpc-id": [vpcId], "group-id": [id], "group-name": [groupName], "owner-id": [identity.accountId],
                                              "description": [group.description ?? ""], "tag:Name": [groupName]]) else { return nil }
            return [
                .text("ownerId", identity.accountId), .text("groupId", id), .text("groupName", groupName),
                .text("groupDescription", group.description ?? ""), .text("vpcId", vpcId),
                .text("securityGroupArn", "arn:aws:ec2:\(identity.region):\(identity.accountId):security-group/\(id)"),
                .items("ipPermissions", permissions(group.ingress, vpc: group.vpc)),
                .items("ipPermissionsEgress", permissions(group.effectiveEgress, vpc: group.vpc)),
                .items("tagSet", []),
            ]
        }
        try EC2Describer.requireFound(askedIds, in: items, field: "groupId", error: "InvalidGroup.NotFound", noun: "security group")
        if let missing = askedNames.first(where: { name in !items.contains { $0.contains(.text("groupName", name)) } }) {
            throw APIError("InvalidGroup.NotFound", "The security group '\(missing)' does not exist")
        }
        return [.items("securityGroupInfo", items)]
    }

    /// `AuthorizeSecurityGroupIngress`/`Egress` (`ingress` false) and the matching `Revoke`s.
    func change(_ p: QueryParameters, ingress: Bool, authorize: Bool) async throws(APIError) -> [XMLNode] {
        let action = "\(authorize ? "Authorize" : "Revoke")SecurityGroup\(ingress ? "Ingress" : "Egress")"
        try p.refuseUnknown(action, known: ["GroupId", "IpPermissions."] + (ingress ? ["GroupName"] : []))
        let groupId = p["GroupId"], groupName = p["GroupName"]
        var asked: [AskedRule] = []
        for permission in p.structures("IpPermissions.") {
            // lbnet's groups hold no IPv6 or prefix-list rules: revoking one finds nothing (as
            // AWS answers for a rule that is not there); authorizing one is refused by name.
            if permission.values.keys.contains(where: { $0.hasPrefix("Ipv6Ranges.") || $0.hasPrefix("PrefixListIds.") }) {
                guard authorize else { throw APIError("InvalidPermission.NotFound", "The specified rule does not exist in this security group.") }
                throw EC2Changes.unsupported("IPv6 and prefix-list rules in security groups")
            }
            asked += try rules(permission)
        }
        guard !asked.isEmpty else { throw APIError("MissingParameter", "The request must contain the parameter ipPermissions") }
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            var group = try self.group(id: groupId, name: groupName, in: file)
            let peers = SecurityGroupDirectory(file: file).groups[group.vpc] ?? [:]
            let resolved = try asked.map { rule throws(APIError) in try resolve(rule, vpc: group.vpc, peers: peers) }
            var list = ingress ? group.ingress : group.effectiveEgress
            for rule in resolved {
                let index = list.firstIndex { same($0, rule) }
                switch (authorize, index) {
                case (true, nil): list.append(rule)
                case (true, .some):
                    throw APIError("InvalidPermission.Duplicate", "the specified rule \"\(describe(rule))\" already exists")
                case (false, let index?): list.remove(at: index)
                case (false, nil):
                    throw APIError("InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
                }
            }
            if ingress { group.ingress = list } else { group.egress = list }
            if let index = file.securityGroups.firstIndex(where: { $0.vpc == group.vpc && $0.name == group.name }) {
                file.securityGroups[index] = group
            } else {
                file.securityGroups.append(group)   // the VPC's implicit default group, now declared
            }
        }
        return [.text("return", "true")]
    }

    func delete(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DeleteSecurityGroup", known: ["GroupId", "GroupName"])
        let groupId = p["GroupId"], groupName = p["GroupName"]
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            let group = try self.group(id: groupId, name: groupName, in: file)
            let id = identity.securityGroupId(group.name, vpc: group.vpc)
            if group.name == StateFile.SecurityGroup.defaultName {
                throw APIError("CannotDelete", "the specified group: \"\(id)\" name: \"default\" cannot be deleted by a user")
            }
            let subnets = Set(file.vpcs.first { $0.name == group.vpc }?.subnets.map(\.name) ?? [])
            let usedByHosts = file.instances.contains { subnets.contains($0.subnet) && $0.securityGroups.contains(group.name) }
                || file.loadBalancers.contains { $0.subnetNames.contains(where: subnets.contains) && $0.securityGroups.contains(group.name) }
                || file.vpcEndpoints.contains { $0.vpc == group.vpc && $0.securityGroups.contains(group.name) }
            let referenced = file.securityGroups.contains { other in
                other.vpc == group.vpc && other.name != group.name
                    && (other.ingress + other.effectiveEgress).contains { $0.peer == .securityGroup(group.name) }
            }
            if usedByHosts || referenced {
                throw APIError("DependencyViolation", "resource \(id) has a dependent object")
            }
            file.securityGroups.removeAll { $0.vpc == group.vpc && $0.name == group.name }
        }
        return [.text("return", "true")]
    }

    // MARK: Parts

    /// Every group of the file, each VPC's `default` first.
    func groups(in file: StateFile) -> [StateFile.SecurityGroup] {
        let directory = SecurityGroupDirectory(file: file)
        return file.vpcs.flatMap { vpc in
            (directory.groups[vpc.name] ?? [:]).values.sorted { a, b in
                (a.name == StateFile.SecurityGroup.defaultName ? "" : a.name) < (b.name == StateFile.SecurityGroup.defaultName ? "" : b.name)
            }
        }
    }

    private func group(id: String?, name: String?, in file: StateFile) throws(APIError) -> StateFile.SecurityGroup {
        let found = groups(in: file).first { group in
            if let id { return identity.securityGroupId(group.name, vpc: group.vpc) == id }
            return (group.groupName ?? group.name) == name
        }
        guard let found else {
            throw APIError("InvalidGroup.NotFound", "The security group '\(id ?? name ?? "")' does not exist")
        }
        return found
    }

    /// A rule as the API sent it: its peer a CIDR block or a group ID (resolved against the VPC later).
    private struct AskedRule {
        let ipProtocol: String
        let fromPort: Int?
        let toPort: Int?
        let cidr: IPv4Network?
        let groupId: String?
        let description: String?
    }

    private func rules(_ permission: QueryParameters) throws(APIError) -> [AskedRule] {
        try permission.refuseUnknown("an IpPermission", known: ["IpProtocol", "FromPort", "ToPort", "IpRanges.", "Groups.", "UserIdGroupPairs."])
        let proto = try permission.required("IpProtocol").lowercased()
        let from = permission["FromPort"].flatMap(Int.init), to = permission["ToPort"].flatMap(Int.init)
        let ranges = try permission.structures("IpRanges.").map { range throws(APIError) in
            guard let cidr = IPv4Network(try range.required("CidrIp")) else {
                throw APIError("InvalidParameterValue", "CIDR block \(range["CidrIp"] ?? "") is malformed")
            }
            return AskedRule(ipProtocol: proto, fromPort: from, toPort: to, cidr: cidr, groupId: nil, description: range["Description"])
        }
        let groups = try (permission.structures("Groups.") + permission.structures("UserIdGroupPairs.")).map { pair throws(APIError) in
            AskedRule(ipProtocol: proto, fromPort: from, toPort: to, cidr: nil, groupId: try pair.required("GroupId"), description: pair["Description"])
        }
        return ranges + groups
    }

    private func resolve(_ rule: AskedRule, vpc: String, peers: [String: StateFile.SecurityGroup]) throws(APIError) -> StateFile.SecurityGroupRule {
        let peer: StateFile.SecurityGroupPeer
        if let cidr = rule.cidr {
            peer = .cidr(cidr)
        } else {
            guard let name = peers.values.first(where: { identity.securityGroupId($0.name, vpc: vpc) == rule.groupId })?.name else {
                throw APIError("InvalidGroup.NotFound", "The security group '\(rule.groupId ?? "")' does not exist in this VPC")
            }
            peer = .securityGroup(name)
        }
        let ports = ["tcp", "udp", "icmp", "6", "17", "1"].contains(rule.ipProtocol)
        return StateFile.SecurityGroupRule(ipProtocol: rule.ipProtocol, fromPort: ports ? rule.fromPort : nil, toPort: ports ? rule.toPort : nil,
                                           peer: peer, description: rule.description)
    }

    private func same(_ a: StateFile.SecurityGroupRule, _ b: StateFile.SecurityGroupRule) -> Bool {
        a.ipProtocol == b.ipProtocol && a.fromPort == b.fromPort && a.toPort == b.toPort && a.peer == b.peer
    }

    private func describe(_ rule: StateFile.SecurityGroupRule) -> String {
        let peer: String = switch rule.peer { case .cidr(let cidr): cidr.description; case .securityGroup(let name): name }
        return "peer: \(peer), \(rule.ipProtocol.uppercased()), from port: \(rule.fromPort.map(String.init) ?? "-"), to port: \(rule.toPort.map(String.init) ?? "-"), ALLOW"
    }

    /// Rules with the same protocol and ports as one `IpPermission`, in the order first seen.
    private func permissions(_ rules: [StateFile.SecurityGroupRule], vpc: String) -> [[XMLNode]] {
        var order: [String] = []
        var grouped: [String: [StateFile.SecurityGroupRule]] = [:]
        for rule in rules {
            let key = "\(rule.ipProtocol)/\(rule.fromPort ?? -2)/\(rule.toPort ?? -2)"
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(rule)
        }
        return order.map { key in
            let rules = grouped[key]!, first = rules[0]
            var ranges: [[XMLNode]] = [], pairs: [[XMLNode]] = []
            for rule in rules {
                switch rule.peer {
                case .cidr(let cidr): ranges.append([.text("cidrIp", cidr.description)] + XMLNode.field("description", rule.description))
                case .securityGroup(let name):
                    pairs.append([.text("groupId", identity.securityGroupId(name, vpc: vpc)), .text("userId", identity.accountId)]
                                 + XMLNode.field("description", rule.description))
                }
            }
            return [.text("ipProtocol", first.ipProtocol)] + XMLNode.field("fromPort", first.fromPort.map(String.init))
                + XMLNode.field("toPort", first.toPort.map(String.init))
                + [.items("groups", pairs), .items("ipRanges", ranges), .items("ipv6Ranges", []), .items("prefixListIds", [])]
        }
    }
}

extension SecurityGroupDirectory {
    /// The `groupSet` of an answer: each group's ID and EC2 name.
    func groupSet(_ names: [String], vpc: String, identity: AWSIdentity) -> [[XMLNode]] {
        names.map { name in
            [.text("groupId", identity.securityGroupId(name, vpc: vpc)), .text("groupName", group(name, vpc: vpc)?.groupName ?? name)]
        }
    }
}
