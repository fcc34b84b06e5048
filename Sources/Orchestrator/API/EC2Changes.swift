import AWSAPI
import Kernel

/// EC2's calls that create and delete VPCs and subnets: each edits the desired state through
/// the ``DesiredStateEditor``; an object the API creates is named by its new ID.
struct EC2Changes {
    let identity: AWSIdentity
    let editor: DesiredStateEditor

    func createVpc(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("CreateVpc", known: ["CidrBlock", "InstanceTenancy", "AmazonProvidedIpv6CidrBlock"])
        if let tenancy = p["InstanceTenancy"], tenancy != "default" { throw Self.unsupported("InstanceTenancy \(tenancy)") }
        if p["AmazonProvidedIpv6CidrBlock"] == "true" { throw Self.unsupported("IPv6 CIDR blocks") }
        let cidr = try network(try p.required("CidrBlock"), parameter: "CidrBlock")
        let name = AWSIdentity.newID("vpc-")
        let (_, model) = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            file.vpcs.append(StateFile.VPC(name: name, cidr: cidr))
        }
        guard let vpc = model.topology.vpcs.first(where: { $0.name == name }) else { throw .internalFailure("VPC \(name) vanished") }
        return [.element("vpc", EC2Describer(identity: identity, model: model).vpcShape(vpc))]
    }

    func deleteVpc(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DeleteVpc", known: ["VpcId"])
        let id = try p.required("VpcId")
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            guard let index = file.vpcs.firstIndex(where: { identity.vpcId($0.name) == id }) else {
                throw APIError("InvalidVpcID.NotFound", "The vpc ID '\(id)' does not exist")
            }
            let name = file.vpcs[index].name
            if !file.vpcs[index].subnets.isEmpty || file.targetGroups.contains(where: { $0.vpc == name })
                || file.vpcEndpoints.contains(where: { $0.vpc == name }) {
                throw APIError("DependencyViolation", "The vpc '\(id)' has dependencies and cannot be deleted.")
            }
            file.vpcs.remove(at: index)
        }
        return [.text("return", "true")]
    }

    func createSubnet(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("CreateSubnet", known: ["VpcId", "CidrBlock", "AvailabilityZone"])
        let cidr = try network(try p.required("CidrBlock"), parameter: "CidrBlock")
        let vpcId = try p.required("VpcId")
        let name = AWSIdentity.newID("subnet-")
        let (_, model) = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            guard let index = file.vpcs.firstIndex(where: { identity.vpcId($0.name) == vpcId }) else {
                throw APIError("InvalidVpcID.NotFound", "The vpc ID '\(vpcId)' does not exist")
            }
            let zones = file.vpcs.flatMap(\.subnets).map(\.az)
            // Without a zone AWS picks one; lbnet picks the topology's first (or the region's first).
            let zone = p["AvailabilityZone"] ?? zones.first ?? "\(identity.region)a"
            let vpc = file.vpcs[index]
            guard vpc.cidr.contains(cidr) else {
                throw APIError("InvalidSubnet.Range", "The CIDR '\(cidr)' is invalid.")
            }
            if vpc.subnets.contains(where: { $0.cidr.overlaps(cidr) }) {
                throw APIError("InvalidSubnet.Conflict", "The CIDR '\(cidr)' conflicts with another subnet")
            }
            file.vpcs[index].subnets.append(StateFile.Subnet(name: name, az: zone, cidr: cidr))
        }
        guard let vpc = model.topology.vpcs.first(where: { $0.subnets.contains { $0.name == name } }),
              let subnet = vpc.subnets.first(where: { $0.name == name }) else { throw .internalFailure("subnet \(name) vanished") }
        return [.element("subnet", EC2Describer(identity: identity, model: model).subnetShape(subnet, in: vpc))]
    }

    func deleteSubnet(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DeleteSubnet", known: ["SubnetId"])
        let id = try p.required("SubnetId")
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            for (vpcIndex, vpc) in file.vpcs.enumerated() {
                guard let index = vpc.subnets.firstIndex(where: { identity.subnetId($0.name) == id }) else { continue }
                let name = vpc.subnets[index].name
                if file.instances.contains(where: { $0.subnet == name }) || file.loadBalancers.contains(where: { $0.subnetNames.contains(name) })
                    || file.vpcEndpoints.contains(where: { $0.subnets.contains(name) }) {
                    throw APIError("DependencyViolation", "The subnet '\(id)' has dependencies and cannot be deleted.")
                }
                file.vpcs[vpcIndex].subnets.remove(at: index)
                return
            }
            throw APIError("InvalidSubnetID.NotFound", "The subnet ID '\(id)' does not exist")
        }
        return [.text("return", "true")]
    }

    private func network(_ text: String, parameter: String) throws(APIError) -> IPv4Network {
        guard let network = IPv4Network(text) else {
            throw APIError("InvalidParameterValue", "Value (\(text)) for parameter \(parameter) is invalid. This is not a valid CIDR block.")
        }
        return network
    }

    static func unsupported(_ what: String) -> APIError {
        APIError("InvalidParameterValue", "lbnet does not implement \(what) yet")
    }
}
