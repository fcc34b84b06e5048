import AWSAPI

/// The ID of a host's one network interface (`eni-` and 17 hex digits, derived from the host's
/// name, so the same in every answer and across restarts).
struct ENIIdentity {
    let identity: AWSIdentity

    func interfaceId(_ host: String) -> String { "eni-" + AWSIdentity.id("eni", host, length: 17) }

    func attachmentId(_ host: String) -> String { "eni-attach-" + AWSIdentity.id("attach", host, length: 17) }
}

/// EC2's `DescribeNetworkInterfaces`: each host's interface as AWS lists it: an instance's
/// primary interface, a load balancer node's `ELB app/…` or `ELB net/…` interface (owned by
/// `amazon-elb`), and an interface endpoint's `VPC Endpoint Interface vpce-…`.
struct NetworkInterfaceCalls {
    let identity: AWSIdentity
    let model: DeploymentModel?

    func describe(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeNetworkInterfaces", known: ["NetworkInterfaceId.", "Filter.", "MaxResults", "NextToken"])
        let filters = try EC2Filter.of(p, known: [
            "network-interface-id", "subnet-id", "vpc-id", "availability-zone", "description", "interface-type", "requester-id",
            "attachment.instance-id", "attachment.instance-owner-id", "private-ip-address", "addresses.private-ip-address", "status", "owner-id", "group-id", "group-name",
        ])
        let asked = p.ec2List("NetworkInterfaceId")
        let enis = ENIIdentity(identity: identity)
        let groups = SecurityGroupDirectory(file: model?.file ?? StateFile(), interfaceEndpoints: model?.interfaceEndpoints ?? [])
        let items: [[XMLNode]] = (model?.topology.hosts ?? []).compactMap { host in
            let id = enis.interfaceId(host.name)
            let (description, type, owner) = self.description(of: host)
            let instance = host.kind == .instance ? identity.instanceId(host.name) : nil
            let address = host.address.address.description
            var fields: [String: [String]] = [
                "network-interface-id": [id], "subnet-id": [identity.subnetId(host.subnet)], "vpc-id": [identity.vpcId(host.vpc)],
                "availability-zone": [host.az], "description": [description], "interface-type": [type],
                "attachment.instance-owner-id": [owner ?? identity.accountId], "private-ip-address": [address],
                "addresses.private-ip-address": [address], "status": ["in-use"], "owner-id": [identity.accountId],
            ]
            let attached = groups.attached(to: host)
            fields["group-id"] = attached.map { identity.securityGroupId($0, vpc: host.vpc) }
            fields["group-name"] = attached.map { groups.group($0, vpc: host.vpc)?.groupName ?? $0 }
            if let owner { fields["requester-id"] = [owner] }
            if let instance { fields["attachment.instance-id"] = [instance] }
            guard asked.isEmpty || asked.contains(id), EC2Filter.matches(filters, fields) else { return nil }
            let attachment: [XMLNode] = [.text("attachmentId", enis.attachmentId(host.name)),
                                         .text("deviceIndex", instance == nil ? "1" : "0"), .text("status", "attached"),
                                         .text("instanceOwnerId", owner ?? identity.accountId)]
                + XMLNode.field("instanceId", instance) + [.text("deleteOnTermination", String(instance != nil))]
            return [
                .text("networkInterfaceId", id), .text("subnetId", identity.subnetId(host.subnet)), .text("vpcId", identity.vpcId(host.vpc)),
                .text("availabilityZone", host.az), .text("description", description), .text("ownerId", identity.accountId),
                .text("interfaceType", type), .text("status", "in-use"),
                .text("macAddress", Self.macAddress(id)), .text("privateIpAddress", address), .text("sourceDestCheck", "true"),
                .text("requesterManaged", String(owner != nil)),
                .items("privateIpAddressesSet", [[.text("privateIpAddress", address), .text("primary", "true")]]),
                .element("attachment", attachment),
                .items("groupSet", groups.groupSet(attached, vpc: host.vpc, identity: identity)),
                .items("tagSet", []),
            ] + XMLNode.field("requesterId", owner)
        }
        try EC2Describer.requireFound(asked, in: items, field: "networkInterfaceId", error: "InvalidNetworkInterfaceID.NotFound", noun: "network interface")
        return [.items("networkInterfaceSet", items)]
    }

    /// The interface's description, type and (for one AWS manages) its requester.
    private func description(of host: Topology.Host) -> (String, String, String?) {
        switch host.kind {
        case .instance:
            return ("Primary network interface", "interface", nil)
        case .loadBalancerNode(let name):
            let type = model?.file.loadBalancers.first { $0.name == name }?.type ?? .network
            return ("ELB \(identity.loadBalancerResource(name, type: type))", type == .network ? "network_load_balancer" : "interface", "amazon-elb")
        case .endpoint:
            let endpoint = model?.interfaceEndpoints.first { $0.host.name == host.name }?.endpoint ?? host.name
            return ("VPC Endpoint Interface \(endpoint)", "vpc_endpoint", "727180483921")
        }
    }

    /// A locally administered MAC address from the interface's ID, stable like the ID.
    static func macAddress(_ id: String) -> String {
        let digits = Array(AWSIdentity.id("mac", id, length: 10))
        return "02:" + stride(from: 0, to: 10, by: 2).map { String(digits[$0...$0 + 1]) }.joined(separator: ":")
    }
}
