import AWSAPI
import Kernel

/// EC2's describe calls over the applied model: VPCs, subnets, availability zones (the state
/// file's) and Elastic IPs, with AWS's IDs and shapes (instances: ``EC2InstanceDescriber``).
struct EC2Describer {
    let identity: AWSIdentity
    let model: DeploymentModel?

    private var vpcs: [Topology.VPC] { model?.topology.vpcs ?? [] }

    func describeVpcs(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        let filters = try EC2Filter.of(parameters, known: ["vpc-id", "cidr", "cidr-block-association.cidr-block", "state", "is-default", "owner-id", "tag:"])
        let asked = parameters.ec2List("VpcId")
        var items: [[XMLNode]] = []
        for vpc in vpcs {
            let id = identity.vpcId(vpc.name)
            let fields = ["vpc-id": [id], "cidr": [vpc.cidr.description], "cidr-block-association.cidr-block": [vpc.cidr.description],
                          "state": ["available"], "is-default": ["false"], "owner-id": [identity.accountId], "tag:Name": [vpc.name]]
            guard asked.isEmpty || asked.contains(id), EC2Filter.matches(filters, fields) else { continue }
            items.append(vpcShape(vpc))
        }
        try Self.requireFound(asked, in: items, field: "vpcId", error: "InvalidVpcID.NotFound", noun: "vpc ID")
        return [.items("vpcSet", items)]
    }

    func vpcShape(_ vpc: Topology.VPC) -> [XMLNode] {
        let id = identity.vpcId(vpc.name)
        return [
            .text("vpcId", id), .text("ownerId", identity.accountId), .text("state", "available"),
            .text("cidrBlock", vpc.cidr.description),
            .items("cidrBlockAssociationSet", [[.text("associationId", "vpc-cidr-assoc-" + id.dropFirst("vpc-".count)),
                                                .text("cidrBlock", vpc.cidr.description),
                                                .element("cidrBlockState", [.text("state", "associated")])]]),
            .text("dhcpOptionsId", "default"), .text("instanceTenancy", "default"), .text("isDefault", "false"),
            Self.nameTag(AWSIdentity.isID(vpc.name, "vpc-") ? nil : vpc.name),
        ]
    }

    func describeSubnets(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        let filters = try EC2Filter.of(parameters, known: ["vpc-id", "subnet-id", "availability-zone", "cidr-block", "cidr", "state", "default-for-az", "owner-id", "tag:"])
        let asked = parameters.ec2List("SubnetId")
        var items: [[XMLNode]] = []
        for vpc in vpcs {
            for subnet in vpc.subnets {
                let id = identity.subnetId(subnet.name), vpcId = identity.vpcId(vpc.name)
                let fields = ["vpc-id": [vpcId], "subnet-id": [id], "availability-zone": [subnet.az], "cidr-block": [subnet.cidr.description],
                              "cidr": [subnet.cidr.description], "state": ["available"], "default-for-az": ["false"],
                              "owner-id": [identity.accountId], "tag:Name": [subnet.name]]
                guard asked.isEmpty || asked.contains(id), EC2Filter.matches(filters, fields) else { continue }
                items.append(subnetShape(subnet, in: vpc))
            }
        }
        try Self.requireFound(asked, in: items, field: "subnetId", error: "InvalidSubnetID.NotFound", noun: "subnet ID")
        return [.items("subnetSet", items)]
    }

    func subnetShape(_ subnet: Topology.Subnet, in vpc: Topology.VPC) -> [XMLNode] {
        let id = identity.subnetId(subnet.name)
        let used = model?.topology.hosts.filter { $0.subnet == subnet.name }.count ?? 0
        return [
            .text("subnetId", id),
            .text("subnetArn", "arn:aws:ec2:\(identity.region):\(identity.accountId):subnet/\(id)"),
            .text("state", "available"), .text("vpcId", identity.vpcId(vpc.name)), .text("cidrBlock", subnet.cidr.description),
            // AWS reserves five addresses of every subnet.
            .text("availableIpAddressCount", String(max(0, Int(subnet.cidr.size) - 5 - used))),
            .text("availabilityZone", subnet.az), .text("availabilityZoneId", zoneId(subnet.az)),
            .text("defaultForAz", "false"), .text("mapPublicIpOnLaunch", "false"), .text("ownerId", identity.accountId),
            Self.nameTag(AWSIdentity.isID(subnet.name, "subnet-") ? nil : subnet.name),
        ]
    }

    func describeAvailabilityZones(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        let filters = try EC2Filter.of(parameters, known: ["zone-name", "zone-id", "state", "region-name", "zone-type"])
        let asked = parameters.ec2List("ZoneName")
        var zones: [String] = []
        // The topology's zones, then three of the region's, where a new subnet may go as on AWS
        // (CreateSubnet takes any zone name; an empty topology still offers zones to a client
        // that asks before it creates its first subnet).
        for zone in vpcs.flatMap(\.subnets).map(\.az) + ["a", "b", "c"].map({ "\(identity.region)\($0)" })
        where !zones.contains(zone) { zones.append(zone) }
        let items: [[XMLNode]] = zones.filter { zone in
            (asked.isEmpty || asked.contains(zone)) && EC2Filter.matches(filters, [
                "zone-name": [zone], "zone-id": [zoneId(zone)], "state": ["available"],
                "region-name": [identity.region], "zone-type": ["availability-zone"],
            ])
        }.map { zone in
            [.text("zoneName", zone), .text("zoneId", zoneId(zone)), .text("zoneState", "available"),
             .text("regionName", identity.region), .text("zoneType", "availability-zone"), .text("groupName", identity.region),
             .text("networkBorderGroup", identity.region), .text("optInStatus", "opt-in-not-required")]
        }
        if let missing = asked.first(where: { !zones.contains($0) }) {
            throw APIError("InvalidParameterValue", "The zone '\(missing)' does not exist (zones: \(zones.joined(separator: ", ")))")
        }
        return [.items("availabilityZoneInfo", items)]
    }

    func describeAddresses(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        let filters = try EC2Filter.of(parameters, known: ["allocation-id", "public-ip", "domain", "tag:"])
        let askedIds = parameters.ec2List("AllocationId"), askedIPs = parameters.ec2List("PublicIp")
        // The record keeps every allocation ever made (so a name gets its address back); the
        // addresses a client holds are those the desired state still declares.
        let declared = Set(model?.file.elasticIps.map(\.name) ?? [])
        let allocations = (model?.elasticIPs.allocations.values.filter { declared.contains($0.name) } ?? [])
            .sorted { $0.allocationId < $1.allocationId }
        let items: [[XMLNode]] = allocations.filter { allocation in
            (askedIds.isEmpty || askedIds.contains(allocation.allocationId))
                && (askedIPs.isEmpty || askedIPs.contains(allocation.address.description))
                && EC2Filter.matches(filters, ["allocation-id": [allocation.allocationId], "public-ip": [allocation.address.description],
                                               "domain": ["vpc"], "tag:Name": [allocation.name]])
        }.map { allocation in
            let node = model?.networkLoadBalancerNodes.first { $0.elasticIP?.allocationId == allocation.allocationId }
            return [.text("publicIp", allocation.address.description), .text("allocationId", allocation.allocationId), .text("domain", "vpc")]
                + XMLNode.field("privateIpAddress", node?.host.address.address.description)
                + XMLNode.field("associationId", node.map { _ in "eipassoc-" + allocation.allocationId.dropFirst("eipalloc-".count) })
                + XMLNode.field("networkInterfaceId", node.map { ENIIdentity(identity: identity).interfaceId($0.host.name) })
                + [.text("networkInterfaceOwnerId", identity.accountId),
                   .text("publicIpv4Pool", "amazon"), .text("networkBorderGroup", identity.region),
                   Self.nameTag(AWSIdentity.isID(allocation.name, "eip-") ? nil : allocation.name)]
        }
        if let missing = askedIds.first(where: { id in !allocations.contains { $0.allocationId == id } }) {
            throw APIError("InvalidAllocationID.NotFound", "The allocation ID '\(missing)' does not exist")
        }
        return [.items("addressesSet", items)]
    }

    /// A file-made object's name as its `Name` tag (an API-made one, named by its ID, has none).
    static func nameTag(_ name: String?) -> XMLNode {
        .items("tagSet", name.map { [[.text("key", "Name"), .text("value", $0)]] } ?? [])
    }

    /// AWS's zone ID shape, `use1-az1`: the region's short form (`us-east-1` is `use1`) and the
    /// zone's place among the topology's zone names.
    func zoneId(_ zone: String) -> String {
        let parts = identity.region.split(separator: "-")
        let short = parts.count == 3 ? "\(parts[0])\(parts[1].prefix(1))\(parts[2])" : identity.region
        let zones = Set(vpcs.flatMap(\.subnets).map(\.az)).sorted()
        return "\(short)-az\((zones.firstIndex(of: zone) ?? zones.count) + 1)"
    }

    static func requireFound(_ asked: [String], in items: [[XMLNode]], field: String, error: String, noun: String) throws(APIError) {
        let found = Set(items.compactMap { item in item.compactMap { node -> String? in
            if case .text(field, let value) = node { value } else { nil }
        }.first })
        if let missing = asked.first(where: { !found.contains($0) }) {
            throw APIError(error, "The \(noun) '\(missing)' does not exist")
        }
    }
}
