import AWSAPI

/// What every VPC has on AWS without being asked for, as EC2's describe calls show it: its
/// attributes (DNS support on, DNS host names off), its main route table (the local route), its
/// default network ACL (all traffic allowed). Changing any of them is refused by name.
struct EC2VPCDefaults {
    let identity: AWSIdentity
    let model: DeploymentModel?

    private var vpcs: [Topology.VPC] { model?.topology.vpcs ?? [] }

    /// The attribute values lbnet's VPCs have (AWS's defaults for a VPC that is not the default one).
    static let attributes = ["enableDnsSupport": "true", "enableDnsHostnames": "false", "enableNetworkAddressUsageMetrics": "false"]

    func describeVpcAttribute(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeVpcAttribute", known: ["VpcId", "Attribute"])
        let vpc = try self.vpc(try p.required("VpcId"))
        let attribute = try p.required("Attribute")
        guard let value = Self.attributes[attribute] else {
            throw APIError("InvalidParameterValue", "Value (\(attribute)) for parameter attribute is invalid. Unknown attribute.")
        }
        return [.text("vpcId", identity.vpcId(vpc.name)), .element(attribute, [.text("value", value)])]
    }

    /// Setting an attribute to the value it has changes nothing and succeeds; any other value is refused.
    func modifyVpcAttribute(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("ModifyVpcAttribute", known: ["VpcId", "EnableDnsSupport.Value", "EnableDnsHostnames.Value", "EnableNetworkAddressUsageMetrics.Value"])
        _ = try vpc(try p.required("VpcId"))
        for (parameter, attribute) in [("EnableDnsSupport", "enableDnsSupport"), ("EnableDnsHostnames", "enableDnsHostnames"),
                                       ("EnableNetworkAddressUsageMetrics", "enableNetworkAddressUsageMetrics")] {
            if let value = p["\(parameter).Value"], value != Self.attributes[attribute] {
                throw EC2Changes.unsupported("the VPC attribute \(attribute) = \(value) (lbnet's VPCs have \(Self.attributes[attribute]!))")
            }
        }
        return [.text("return", "true")]
    }

    func describeRouteTables(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        let filters = try EC2Filter.of(p, known: ["vpc-id", "route-table-id", "association.main", "owner-id"])
        try p.refuseUnknown("DescribeRouteTables", known: ["Filter.", "RouteTableId.", "MaxResults", "NextToken"])
        let asked = p.ec2List("RouteTableId")
        let items: [[XMLNode]] = vpcs.compactMap { vpc in
            let id = routeTableId(vpc.name), vpcId = identity.vpcId(vpc.name)
            guard asked.isEmpty || asked.contains(id), EC2Filter.matches(filters, [
                "vpc-id": [vpcId], "route-table-id": [id], "association.main": ["true"], "owner-id": [identity.accountId],
            ]) else { return nil }
            return [
                .text("routeTableId", id), .text("vpcId", vpcId), .text("ownerId", identity.accountId),
                .items("routeSet", [[.text("destinationCidrBlock", vpc.cidr.description), .text("gatewayId", "local"),
                                     .text("state", "active"), .text("origin", "CreateRouteTable")]]),
                .items("associationSet", [[.text("main", "true"), .text("routeTableAssociationId", "rtbassoc-" + id.dropFirst(4)),
                                           .text("routeTableId", id), .element("associationState", [.text("state", "associated")])]]),
                .items("propagatingVgwSet", []), .items("tagSet", []),
            ]
        }
        try EC2Describer.requireFound(asked, in: items, field: "routeTableId", error: "InvalidRouteTableID.NotFound", noun: "route table ID")
        return [.items("routeTableSet", items)]
    }

    func describeNetworkAcls(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        let filters = try EC2Filter.of(p, known: ["vpc-id", "network-acl-id", "default", "owner-id", "association.subnet-id"])
        try p.refuseUnknown("DescribeNetworkAcls", known: ["Filter.", "NetworkAclId.", "MaxResults", "NextToken"])
        let asked = p.ec2List("NetworkAclId")
        let items: [[XMLNode]] = vpcs.compactMap { vpc in
            let id = networkAclId(vpc.name), vpcId = identity.vpcId(vpc.name)
            let subnetIds = vpc.subnets.map { identity.subnetId($0.name) }
            guard asked.isEmpty || asked.contains(id), EC2Filter.matches(filters, [
                "vpc-id": [vpcId], "network-acl-id": [id], "default": ["true"], "owner-id": [identity.accountId],
                "association.subnet-id": subnetIds,
            ]) else { return nil }
            let entries: [[XMLNode]] = [true, false].flatMap { egress in
                [("100", "allow"), ("32767", "deny")].map { number, action in
                    [.text("ruleNumber", number), .text("protocol", "-1"), .text("ruleAction", action),
                     .text("egress", String(egress)), .text("cidrBlock", "0.0.0.0/0")]
                }
            }
            return [
                .text("networkAclId", id), .text("vpcId", vpcId), .text("default", "true"), .text("ownerId", identity.accountId),
                .items("entrySet", entries),
                .items("associationSet", subnetIds.map { subnet in
                    [.text("networkAclAssociationId", "aclassoc-" + AWSIdentity.id("aclassoc", subnet, length: 17)),
                     .text("networkAclId", id), .text("subnetId", subnet)]
                }),
                .items("tagSet", []),
            ]
        }
        try EC2Describer.requireFound(asked, in: items, field: "networkAclId", error: "InvalidNetworkAclID.NotFound", noun: "network ACL ID")
        return [.items("networkAclSet", items)]
    }

    func routeTableId(_ vpc: String) -> String { "rtb-" + AWSIdentity.id("routetable", vpc, length: 17) }
    func networkAclId(_ vpc: String) -> String { "acl-" + AWSIdentity.id("networkacl", vpc, length: 17) }

    private func vpc(_ id: String) throws(APIError) -> Topology.VPC {
        guard let vpc = vpcs.first(where: { identity.vpcId($0.name) == id }) else {
            throw APIError("InvalidVpcID.NotFound", "The vpc ID '\(id)' does not exist")
        }
        return vpc
    }
}
