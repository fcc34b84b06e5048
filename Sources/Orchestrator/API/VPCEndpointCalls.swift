import AWSAPI

/// EC2's interface endpoint calls (PrivateLink's consumer side) and the provider's answers to
/// them: create, describe and delete `vpcEndpoints` (named by their `vpce-` ID), the service's
/// allowed principals, and accepting or rejecting a connection (`acceptedEndpoints`).
struct VPCEndpointCalls {
    let identity: AWSIdentity
    let editor: DesiredStateEditor
    let model: DeploymentModel?

    /// The principal an API call acts as: the account's root, as `sts:GetCallerIdentity` says.
    var callerPrincipal: String { "arn:aws:iam::\(identity.accountId):root" }

    func create(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("CreateVpcEndpoint", known: ["VpcId", "ServiceName", "VpcEndpointType", "SubnetId.", "PrivateDnsEnabled",
                                                        "ClientToken", "IpAddressType", "SecurityGroupId."])
        if let type = p["VpcEndpointType"], type != "Interface" { throw EC2Changes.unsupported("VPC endpoints of type \(type)") }
        if p["PrivateDnsEnabled"] == "true" { throw EC2Changes.unsupported("private DNS names for endpoints (PrivateDnsEnabled)") }
        if let type = p["IpAddressType"], type != "ipv4" { throw EC2Changes.unsupported("IpAddressType \(type)") }
        let serviceName = try p.required("ServiceName"), vpcId = try p.required("VpcId")
        let subnetIds = p.ec2List("SubnetId")
        let name = AWSIdentity.newID("vpce-")
        let (_, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            let names = APINames(identity: identity, file: file, model: current)
            guard let service = file.endpointServices.first(where: { identity.endpointServiceName($0.name) == serviceName }) else {
                throw APIError("InvalidServiceName", "The Vpc Endpoint Service '\(serviceName)' does not exist")
            }
            guard let vpc = file.vpcs.first(where: { identity.vpcId($0.name) == vpcId }) else {
                throw APIError("InvalidVpcId.NotFound", "The vpc ID '\(vpcId)' does not exist")
            }
            let subnets = try subnetIds.map { id throws(APIError) in
                let subnet = try names.subnet(id: id)
                guard vpc.subnets.contains(where: { $0.name == subnet }) else {
                    throw APIError("InvalidParameter", "The subnet '\(id)' is not in the vpc '\(vpcId)'")
                }
                return subnet
            }
            let groups = try names.securityGroups(ids: p.ec2List("SecurityGroupId"), vpc: vpc.name)
            file.vpcEndpoints.append(StateFile.VPCEndpoint(name: name, serviceName: service.name, vpc: vpc.name, subnets: subnets,
                                                           principal: callerPrincipal, securityGroups: groups))
        }
        guard let endpoint = model.file.vpcEndpoints.first(where: { $0.name == name }) else { throw .internalFailure("endpoint \(name) vanished") }
        return [.element("vpcEndpoint", shape(endpoint, model: model))]
    }

    func describe(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeVpcEndpoints", known: ["VpcEndpointId.", "Filter.", "MaxResults", "NextToken"])
        let filters = try EC2Filter.of(p, known: ["vpc-endpoint-id", "vpc-id", "service-name", "vpc-endpoint-state", "vpc-endpoint-type"])
        let asked = p.ec2List("VpcEndpointId")
        let endpoints = (model?.file.vpcEndpoints ?? []).filter { endpoint in
            (asked.isEmpty || asked.contains(endpoint.name)) && EC2Filter.matches(filters, [
                "vpc-endpoint-id": [endpoint.name], "vpc-id": [identity.vpcId(endpoint.vpc)],
                "service-name": [identity.endpointServiceName(endpoint.serviceName)],
                "vpc-endpoint-state": [state(endpoint)], "vpc-endpoint-type": ["Interface"],
            ])
        }
        if let missing = asked.first(where: { id in !endpoints.contains { $0.name == id } }) {
            throw APIError("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '\(missing)' does not exist")
        }
        let (items, next) = try APIPage(marker: p["NextToken"], size: p["MaxResults"], limit: 5...1000, sizeName: "MaxResults").slice(endpoints)
        return [.items("vpcEndpointSet", items.map { shape($0, model: model) })] + XMLNode.field("nextToken", next)
    }

    func delete(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DeleteVpcEndpoints", known: ["VpcEndpointId."])
        let ids = p.ec2List("VpcEndpointId")
        var failed: [[XMLNode]] = []
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            for id in ids {
                guard let index = file.vpcEndpoints.firstIndex(where: { $0.name == id }) else {
                    failed.append([.element("error", [.text("code", "InvalidVpcEndpoint.NotFound"),
                                                      .text("message", "The VpcEndpoint Id '\(id)' does not exist")]), .text("resourceId", id)])
                    continue
                }
                file.vpcEndpoints.remove(at: index)
                for service in file.endpointServices.indices { file.endpointServices[service].acceptedEndpoints.removeAll { $0 == id } }
            }
        }
        return [.items("unsuccessful", failed)]
    }

    func describePermissions(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeVpcEndpointServicePermissions", known: ["ServiceId", "Filter.", "MaxResults", "NextToken"])
        let service = try self.service(id: try p.required("ServiceId"), in: model?.file ?? StateFile())
        let principals = service.allowedPrincipals == StateFile.EndpointService.defaultAllowedPrincipals ? [] : service.allowedPrincipals
        return [.items("allowedPrincipals", principals.map { principal in
            [.text("principalType", principal == "*" ? "All" : "Account"), .text("principal", principal)]
        })]
    }

    /// Adds or removes allowed principals. lbnet's services allow everyone (`*`) until told
    /// otherwise; the first principal added replaces that default, as a fresh AWS service
    /// allows no one.
    func modifyPermissions(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("ModifyVpcEndpointServicePermissions", known: ["ServiceId", "AddAllowedPrincipals.", "RemoveAllowedPrincipals."])
        let id = try p.required("ServiceId")
        let add = p.ec2List("AddAllowedPrincipals"), remove = p.ec2List("RemoveAllowedPrincipals")
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            guard let index = file.endpointServices.firstIndex(where: { identity.endpointServiceId($0.name) == id }) else {
                throw APIError("InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id '\(id)' does not exist")
            }
            var principals = file.endpointServices[index].allowedPrincipals
            if principals == StateFile.EndpointService.defaultAllowedPrincipals, !add.isEmpty, !add.contains("*") { principals = [] }
            principals.removeAll { remove.contains($0) }
            principals += add.filter { !principals.contains($0) }
            file.endpointServices[index].allowedPrincipals = principals
        }
        return [.text("return", "true")]
    }

    func acceptOrReject(_ p: QueryParameters, accept: Bool) async throws(APIError) -> [XMLNode] {
        let action = accept ? "AcceptVpcEndpointConnections" : "RejectVpcEndpointConnections"
        try p.refuseUnknown(action, known: ["ServiceId", "VpcEndpointId."])
        let id = try p.required("ServiceId")
        let endpoints = p.ec2List("VpcEndpointId")
        var failed: [[XMLNode]] = []
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            guard let index = file.endpointServices.firstIndex(where: { identity.endpointServiceId($0.name) == id }) else {
                throw APIError("InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id '\(id)' does not exist")
            }
            let service = file.endpointServices[index]
            for endpoint in endpoints {
                guard file.vpcEndpoints.contains(where: { $0.name == endpoint && $0.serviceName == service.name }) else {
                    failed.append([.element("error", [.text("code", "InvalidVpcEndpoint.NotFound"),
                                                      .text("message", "The VpcEndpoint Id '\(endpoint)' does not exist")]), .text("resourceId", endpoint)])
                    continue
                }
                file.endpointServices[index].acceptedEndpoints.removeAll { $0 == endpoint }
                if accept { file.endpointServices[index].acceptedEndpoints.append(endpoint) }
            }
            if !file.endpointServices[index].acceptanceRequired { file.endpointServices[index].acceptedEndpoints = [] }
        }
        return [.items("unsuccessful", failed)]
    }

    /// AWS managed prefix lists by name; lbnet has none (an endpoint service has no prefix list).
    func describePrefixLists(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribePrefixLists", known: ["Filter.", "PrefixListId.", "MaxResults", "NextToken"])
        _ = try EC2Filter.of(p, known: ["prefix-list-id", "prefix-list-name"])
        if let id = p.ec2List("PrefixListId").first { throw APIError("InvalidPrefixListID.NotFound", "The prefix list ID '\(id)' does not exist") }
        return [.items("prefixListSet", [])]
    }

    // MARK: Parts

    private func state(_ endpoint: StateFile.VPCEndpoint) -> String {
        let interfaces = model?.interfaceEndpoints.filter { $0.endpoint == endpoint.name } ?? []
        return interfaces.contains { !$0.isAvailable } ? "pendingAcceptance" : "available"
    }

    private func service(id: String, in file: StateFile) throws(APIError) -> StateFile.EndpointService {
        guard let service = file.endpointServices.first(where: { identity.endpointServiceId($0.name) == id }) else {
            throw APIError("InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id '\(id)' does not exist")
        }
        return service
    }

    private func shape(_ endpoint: StateFile.VPCEndpoint, model: DeploymentModel?) -> [XMLNode] {
        let interfaces = model?.interfaceEndpoints.filter { $0.endpoint == endpoint.name } ?? []
        let serviceId = identity.endpointServiceId(endpoint.serviceName)
        let dnsSuffix = "\(serviceId.dropFirst("vpce-svc-".count)).\(identity.region).vpce.amazonaws.com"
        let enis = ENIIdentity(identity: identity)
        return [
            .text("vpcEndpointId", endpoint.name), .text("vpcEndpointType", "Interface"), .text("vpcId", identity.vpcId(endpoint.vpc)),
            .text("serviceName", identity.endpointServiceName(endpoint.serviceName)), .text("state", state(endpoint)),
            .text("privateDnsEnabled", "false"), .text("requesterManaged", "false"), .text("ownerId", identity.accountId),
            .text("ipAddressType", "ipv4"),
            XMLNode.element("subnetIdSet", endpoint.subnets.map { .text("item", identity.subnetId($0)) }),
            XMLNode.element("networkInterfaceIdSet", interfaces.map { .text("item", enis.interfaceId($0.host.name)) }),
            .items("groupSet", SecurityGroupDirectory(file: model?.file ?? StateFile()).groupSet(
                endpoint.securityGroups.isEmpty ? [StateFile.SecurityGroup.defaultName] : endpoint.securityGroups, vpc: endpoint.vpc, identity: identity)),
            .items("routeTableIdSet", []),
            .items("dnsEntrySet", [[.text("dnsName", "\(endpoint.name)-\(AWSIdentity.id("dns", endpoint.name, length: 8)).\(dnsSuffix)"),
                                    .text("hostedZoneId", "Z7HUB22UULQXV")]]),
            .element("dnsOptions", [.text("dnsRecordIpType", "ipv4")]),
            .items("tagSet", []),
        ]
    }
}
