import AWSAPI

/// EC2's Elastic IP calls: `AllocateAddress` declares an Elastic IP (named `eip-` and the
/// digits of its `eipalloc-` ID) in the desired state and the record gives it an address of the
/// pool; `ReleaseAddress` removes it unless a load balancer's subnet mapping holds it.
/// Associating an address with an instance or interface is refused: lbnet attaches Elastic IPs
/// to NLB nodes only, through subnet mappings.
struct ElasticIPCalls {
    let identity: AWSIdentity
    let editor: DesiredStateEditor

    func allocate(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("AllocateAddress", known: ["Domain", "NetworkBorderGroup", "PublicIpv4Pool"])
        if let domain = p["Domain"], domain != "vpc" { throw EC2Changes.unsupported("Domain \(domain) (EC2-Classic ended; use vpc)") }
        if let pool = p["PublicIpv4Pool"], pool != "amazon" { throw EC2Changes.unsupported("the address pool \(pool); lbnet's pool is 'amazon' (elasticIpPool)") }
        if let group = p["NetworkBorderGroup"], group != identity.region {
            throw APIError("InvalidParameterValue", "The network border group '\(group)' is not \(identity.region)")
        }
        let name = "eip-" + AWSIdentity.newID("")
        let (_, model) = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            file.elasticIps.append(StateFile.ElasticIP(name: name))
        }
        guard let allocation = model.elasticIPs.allocations[name] else { throw .internalFailure("Elastic IP \(name) vanished") }
        return [.text("publicIp", allocation.address.description), .text("allocationId", allocation.allocationId),
                .text("domain", "vpc"), .text("publicIpv4Pool", "amazon"), .text("networkBorderGroup", identity.region)]
    }

    func release(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("ReleaseAddress", known: ["AllocationId", "NetworkBorderGroup"])
        let id = try p.required("AllocationId")
        _ = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            let name = try APINames(identity: identity, file: file, model: current).elasticIP(allocationId: id)
            guard let index = file.elasticIps.firstIndex(where: { $0.name == name }) else {
                throw APIError("InvalidAllocationID.NotFound", "The allocation ID '\(id)' does not exist")
            }
            if file.loadBalancers.contains(where: { $0.subnetMappings.contains { $0.allocationId == name } }) {
                throw APIError("InvalidIPAddress.InUse", "Address \(id) is in use by a load balancer")
            }
            file.elasticIps.remove(at: index)
        }
        return [.text("return", "true")]
    }

    /// An association is an NLB node's (made through a subnet mapping): AWS refuses to undo it
    /// by hand; one whose load balancer is gone is not found (clients such as terraform treat
    /// that as done).
    func disassociate(_ p: QueryParameters, model: DeploymentModel?) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DisassociateAddress", known: ["AssociationId", "PublicIp"])
        let held = model?.networkLoadBalancerNodes.compactMap(\.elasticIP) ?? []
        let holds = held.contains { allocation in
            p["AssociationId"] == "eipassoc-" + allocation.allocationId.dropFirst("eipalloc-".count) || p["PublicIp"] == allocation.address.description
        }
        if holds { throw APIError("OperationNotPermitted", "You are not allowed to manage 'ela-attach' attachments.") }
        throw APIError("InvalidAssociationID.NotFound", "The association ID '\(p["AssociationId"] ?? p["PublicIp"] ?? "")' does not exist")
    }

    /// lbnet attaches Elastic IPs to NLB nodes (subnet mappings) only.
    func associate(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        throw EC2Changes.unsupported("AssociateAddress: Elastic IPs attach to Network Load Balancer nodes through subnet mappings only, not to instances or interfaces")
    }

    /// The `domain-name` attribute (reverse DNS): lbnet's addresses have no PTR record.
    func describeAttribute(_ p: QueryParameters, model: DeploymentModel?) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeAddressesAttribute", known: ["AllocationId.", "Attribute", "MaxResults", "NextToken"])
        if let attribute = p["Attribute"], attribute != "domain-name" {
            throw APIError("InvalidParameterValue", "Value (\(attribute)) for parameter Attribute is invalid")
        }
        let declared = Set(model?.file.elasticIps.map(\.name) ?? [])
        let items: [[XMLNode]] = try p.ec2List("AllocationId").map { id throws(APIError) in
            guard let allocation = model?.elasticIPs.allocations.values.first(where: { $0.allocationId == id && declared.contains($0.name) }) else {
                throw APIError("InvalidAllocationID.NotFound", "The allocation ID '\(id)' does not exist")
            }
            return [.text("publicIp", allocation.address.description), .text("allocationId", allocation.allocationId)]
        }
        return [.items("addressSet", items)]
    }
}
