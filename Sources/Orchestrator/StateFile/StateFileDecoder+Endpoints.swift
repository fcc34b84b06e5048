import Yams

extension StateFileDecoder {
    func endpointService(_ node: Node, at path: FieldPath) -> StateFile.EndpointService? {
        let keys = ["name", "networkLoadBalancers", "acceptanceRequired", "allowedPrincipals", "acceptedEndpoints"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let name = required(fields, "name", string)
        let loadBalancers = requiredList(fields, "networkLoadBalancers", string)
        let acceptanceRequired = optional(fields, "acceptanceRequired", boolean) ?? false
        let allowedPrincipals = optional(fields, "allowedPrincipals") { list($0, at: $1, string) }
        let acceptedEndpoints = optionalList(fields, "acceptedEndpoints", string)
        guard let name, let loadBalancers else { return nil }
        return StateFile.EndpointService(
            name: name, networkLoadBalancers: loadBalancers, acceptanceRequired: acceptanceRequired,
            allowedPrincipals: allowedPrincipals ?? StateFile.EndpointService.defaultAllowedPrincipals,
            acceptedEndpoints: acceptedEndpoints)
    }

    func vpcEndpoint(_ node: Node, at path: FieldPath) -> StateFile.VPCEndpoint? {
        let keys = ["name", "vpcEndpointType", "serviceName", "vpc", "subnets", "principal", "securityGroups"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let name = required(fields, "name", string)
        let type: StateFile.VPCEndpointType? = required(fields, "vpcEndpointType", enumeration)
        let serviceName = required(fields, "serviceName", string)
        let vpc = required(fields, "vpc", string)
        let subnets = requiredList(fields, "subnets", string)
        let principal = optional(fields, "principal", string)
        let securityGroups = optionalList(fields, "securityGroups", string)
        guard let name, let type, let serviceName, let vpc, let subnets else { return nil }
        return StateFile.VPCEndpoint(
            name: name, vpcEndpointType: type, serviceName: serviceName, vpc: vpc, subnets: subnets,
            principal: principal, securityGroups: securityGroups)
    }
}
