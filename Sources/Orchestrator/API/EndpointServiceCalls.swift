import AWSAPI

/// EC2's endpoint service calls (PrivateLink's provider side): create, describe and delete
/// endpoint services of Network Load Balancers, through the one desired state.
struct EndpointServiceCalls {
    let identity: AWSIdentity
    let editor: DesiredStateEditor
    let model: @Sendable () -> DeploymentModel?

    func create(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("CreateVpcEndpointServiceConfiguration", known: ["NetworkLoadBalancerArn.", "AcceptanceRequired", "SupportedIpAddressType.", "ClientToken"])
        if p.ec2List("SupportedIpAddressType").contains(where: { $0 != "ipv4" }) { throw EC2Changes.unsupported("IPv6 endpoint services") }
        let arns = p.ec2List("NetworkLoadBalancerArn")
        guard !arns.isEmpty else { throw APIError("InvalidParameter", "NetworkLoadBalancerArns must name at least one Network Load Balancer") }
        let acceptance = p["AcceptanceRequired"].map { $0 == "true" } ?? false
        let name = AWSIdentity.newID("svc-")
        let (_, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            let names = APINames(identity: identity, file: file, model: current)
            let balancers = try arns.map { arn throws(APIError) in file.loadBalancers[try names.loadBalancer(arn: arn)] }
            if let other = balancers.first(where: { $0.type != .network }) {
                throw APIError("InvalidParameter", "Load balancer '\(other.name)' is not a Network Load Balancer")
            }
            file.endpointServices.append(StateFile.EndpointService(name: name, networkLoadBalancers: balancers.map(\.name),
                                                                   acceptanceRequired: acceptance))
        }
        guard let service = model.file.endpointServices.first(where: { $0.name == name }) else { throw .internalFailure("service \(name) vanished") }
        return [.element("serviceConfiguration", shape(service, model: model))]
    }

    func describe(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeVpcEndpointServiceConfigurations", known: ["ServiceId.", "Filter.", "MaxResults", "NextToken"])
        let filters = try EC2Filter.of(p, known: ["service-name", "service-id", "service-state"])
        let asked = p.ec2List("ServiceId")
        let current = model()
        let services = (current?.file.endpointServices ?? []).filter { service in
            let id = identity.endpointServiceId(service.name)
            return (asked.isEmpty || asked.contains(id)) && EC2Filter.matches(filters, [
                "service-name": [identity.endpointServiceName(service.name)], "service-id": [id], "service-state": ["Available"],
            ])
        }
        if let missing = asked.first(where: { id in !services.contains { identity.endpointServiceId($0.name) == id } }) {
            throw APIError("InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id '\(missing)' does not exist")
        }
        let page = try APIPage(marker: p["NextToken"], size: p["MaxResults"], limit: 5...1000, sizeName: "MaxResults")
        let (items, next) = page.slice(services)
        return [.items("serviceConfigurationSet", items.map { shape($0, model: current) })] + XMLNode.field("nextToken", next)
    }

    func delete(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DeleteVpcEndpointServiceConfigurations", known: ["ServiceId."])
        let ids = p.ec2List("ServiceId")
        var failed: [[XMLNode]] = []
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            for id in ids {
                guard let index = file.endpointServices.firstIndex(where: { identity.endpointServiceId($0.name) == id }) else {
                    failed.append([.element("error", [.text("code", "InvalidVpcEndpointService.NotFound"),
                                                      .text("message", "The VpcEndpointService Id '\(id)' does not exist")]),
                                   .text("resourceId", id)])
                    continue
                }
                let name = file.endpointServices[index].name
                if file.vpcEndpoints.contains(where: { $0.serviceName == name }) {
                    failed.append([.element("error", [.text("code", "ExistingVpcEndpointConnections"),
                                                      .text("message", "Service has existing active VPC Endpoint connections!")]),
                                   .text("resourceId", id)])
                    continue
                }
                file.endpointServices.remove(at: index)
            }
        }
        return [.items("unsuccessful", failed)]
    }

    /// The `ServiceConfiguration` shape.
    private func shape(_ service: StateFile.EndpointService, model: DeploymentModel?) -> [XMLNode] {
        let id = identity.endpointServiceId(service.name)
        let zones = Set(model?.networkLoadBalancerNodes.filter { service.networkLoadBalancers.contains($0.loadBalancer) }
            .map(\.availabilityZone) ?? []).sorted()
        let arns = service.networkLoadBalancers.map { identity.loadBalancerArn($0, type: .network) }
        return [
            .items("serviceType", [[.text("serviceType", "Interface")]]),
            .text("serviceId", id), .text("serviceName", identity.endpointServiceName(service.name)),
            .text("serviceState", "Available"),
            XMLNode.element("availabilityZoneSet", zones.map { .text("item", $0) }),
            .text("acceptanceRequired", String(service.acceptanceRequired)), .text("managesVpcEndpoints", "false"),
            XMLNode.element("networkLoadBalancerArnSet", arns.map { .text("item", $0) }),
            XMLNode.element("supportedIpAddressTypeSet", [.text("item", "ipv4")]),
            XMLNode.element("baseEndpointDnsNameSet", [.text("item", "\(id).\(identity.region).vpce.amazonaws.com")]),
            .items("tagSet", []),
        ]
    }
}
