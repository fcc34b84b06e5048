extension StateFileValidator {
    /// Endpoint services: their network load balancers, principals and accepted endpoints.
    mutating func validateEndpointServices() {
        var backedLoadBalancers: [String: FieldPath] = [:]
        for (position, service) in file.endpointServices.enumerated() {
            let path = Self.path("endpointServices", position)
            let listPath = path.key("networkLoadBalancers")
            if service.networkLoadBalancers.isEmpty {
                report("an endpoint service needs at least one network load balancer", at: listPath)
            }
            for (lbPosition, name) in service.networkLoadBalancers.enumerated() {
                let itemPath = listPath.index(lbPosition)
                guard let lbIndex = index.loadBalancers[name] else {
                    reportUnknown("load balancer", name, among: index.loadBalancers.keys, at: itemPath)
                    continue
                }
                let type = file.loadBalancers[lbIndex].type
                if type != .network {
                    report(
                        "'\(name)' is an \(type.rawValue) load balancer; endpoint services use network ones",
                        at: itemPath)
                } else if let other = backedLoadBalancers[name] {
                    report("network load balancer '\(name)' already backs \(other)", at: itemPath)
                } else {
                    backedLoadBalancers[name] = path
                }
            }
            for (principalPosition, principal) in service.allowedPrincipals.enumerated() {
                checkPrincipal(principal, allowingWildcard: true, at: path.key("allowedPrincipals").index(principalPosition))
            }
            checkAcceptedEndpoints(of: service, at: path)
        }
    }

    private mutating func checkAcceptedEndpoints(of service: StateFile.EndpointService, at path: FieldPath) {
        let listPath = path.key("acceptedEndpoints")
        if !service.acceptedEndpoints.isEmpty, !service.acceptanceRequired {
            report("acceptedEndpoints is only used when acceptanceRequired is true", at: listPath)
        }
        for (position, name) in service.acceptedEndpoints.enumerated() {
            let itemPath = listPath.index(position)
            guard let endpointIndex = index.vpcEndpoints[name] else {
                reportUnknown("VPC endpoint", name, among: index.vpcEndpoints.keys, at: itemPath)
                continue
            }
            let endpoint = file.vpcEndpoints[endpointIndex]
            if endpoint.serviceName != service.name {
                report(
                    "VPC endpoint '\(name)' connects to service '\(endpoint.serviceName)', not '\(service.name)'",
                    at: itemPath)
            }
        }
    }

    /// Interface endpoints: service, VPC, subnets (one per AZ, where the service is available), principal.
    mutating func validateVPCEndpoints() {
        for (position, endpoint) in file.vpcEndpoints.enumerated() {
            let path = Self.path("vpcEndpoints", position)
            let service = endpointService(named: endpoint.serviceName, at: path.key("serviceName"))
            let vpc = vpc(named: endpoint.vpc, at: path.key("vpc"))
            checkSubnets(of: endpoint, in: vpc, service: service, at: path.key("subnets"))
            if let principal = endpoint.principal {
                checkPrincipal(principal, allowingWildcard: false, at: path.key("principal"))
                if let service, !service.allowedPrincipals.contains("*"), !service.allowedPrincipals.contains(principal) {
                    report(
                        "endpoint '\(endpoint.name)': principal '\(principal)' is not in the allowedPrincipals of service "
                            + "'\(service.name)' (\(service.allowedPrincipals.joined(separator: ", ")))",
                        at: path.key("principal"))
                }
            }
        }
    }

    private mutating func endpointService(named name: String, at path: FieldPath) -> StateFile.EndpointService? {
        if let position = index.endpointServices[name] { return file.endpointServices[position] }
        reportUnknown("endpoint service", name, among: index.endpointServices.keys, at: path)
        return nil
    }

    private mutating func checkSubnets(
        of endpoint: StateFile.VPCEndpoint, in vpc: StateFile.VPC?, service: StateFile.EndpointService?,
        at path: FieldPath
    ) {
        if endpoint.subnets.isEmpty {
            report("an endpoint needs at least one subnet", at: path)
        }
        let serviceZones = service.map(availabilityZones)
        var zones: [String: String] = [:]
        for (position, name) in endpoint.subnets.enumerated() {
            let itemPath = path.index(position)
            guard let entry = subnet(named: name, at: itemPath) else { continue }
            let zone = entry.subnet.az
            if let vpc, entry.vpc.name != vpc.name {
                report(
                    "subnet '\(name)' is in VPC '\(entry.vpc.name)', not in the endpoint's VPC '\(vpc.name)'",
                    at: itemPath)
            } else if let other = zones[zone] {
                report(
                    other == name
                        ? "subnet '\(name)' is listed twice"
                        : "subnet '\(name)' is in AZ '\(zone)' like '\(other)'; an endpoint takes one subnet per AZ",
                    at: itemPath)
            } else if let service, let serviceZones, !serviceZones.contains(zone) {
                report(
                    "subnet '\(name)' is in AZ '\(zone)', where service '\(service.name)' is not available "
                        + "(it is in \(serviceZones.sorted().joined(separator: ", ")))",
                    at: itemPath)
            } else {
                zones[zone] = name
            }
        }
    }

    /// The AZs an endpoint service is available in: those of its load balancers' subnets.
    private func availabilityZones(of service: StateFile.EndpointService) -> Set<String> {
        let loadBalancers = service.networkLoadBalancers
            .compactMap { index.loadBalancers[$0].map { file.loadBalancers[$0] } }
            .filter { $0.type == .network }
        return Set(loadBalancers.flatMap(\.subnetNames).compactMap { index.subnets[$0]?.subnet.az })
    }

    /// `*` (where allowed) or an IAM ARN.
    private mutating func checkPrincipal(_ principal: String, allowingWildcard: Bool, at path: FieldPath) {
        if allowingWildcard, principal == "*" { return }
        if !principal.hasPrefix("arn:aws:iam::") {
            let expected = allowingWildcard ? "'*' or an IAM ARN" : "an IAM ARN"
            report("'\(principal)' is not \(expected) like arn:aws:iam::123456789012:root", at: path)
        }
    }
}
