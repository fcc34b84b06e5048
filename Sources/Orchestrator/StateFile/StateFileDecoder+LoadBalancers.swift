import Yams

extension StateFileDecoder {
    func loadBalancer(_ node: Node, at path: FieldPath) -> StateFile.LoadBalancer? {
        let keys = [
            "name", "type", "scheme", "subnets", "subnetMappings", "securityGroups", "datapath", "scheduler",
            "attributes", "listeners", "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
        ]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let name = required(fields, "name", string)
        let type: StateFile.LoadBalancerType? = required(fields, "type", enumeration)
        let scheme: StateFile.LoadBalancerScheme = optional(fields, "scheme", enumeration) ?? .internetFacing
        let subnets = optionalList(fields, "subnets", string)
        let subnetMappings = optionalList(fields, "subnetMappings", subnetMapping)
        let securityGroups = optionalList(fields, "securityGroups", string)
        let datapath: StateFile.Datapath? = optional(fields, "datapath", enumeration)
        let scheduler: StateFile.Scheduler? = optional(fields, "scheduler", enumeration)
        let attributes = optional(fields, "attributes", stringMap) ?? [:]
        let listeners = optionalList(fields, "listeners", listener)
        let enforce = optional(fields, "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic", onOff)
        guard let name, let type else { return nil }
        return StateFile.LoadBalancer(
            name: name, type: type, scheme: scheme, subnets: subnets, subnetMappings: subnetMappings,
            securityGroups: securityGroups, datapath: datapath, scheduler: scheduler, attributes: attributes,
            listeners: listeners, enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: enforce)
    }

    func subnetMapping(_ node: Node, at path: FieldPath) -> StateFile.SubnetMapping? {
        let keys = ["subnetId", "allocationId", "privateIPv4Address"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let subnetId = required(fields, "subnetId", string)
        let allocationId = optional(fields, "allocationId", string)
        let privateAddress = optional(fields, "privateIPv4Address", address)
        guard let subnetId else { return nil }
        return StateFile.SubnetMapping(
            subnetId: subnetId, allocationId: allocationId, privateIPv4Address: privateAddress)
    }

    func listener(_ node: Node, at path: FieldPath) -> StateFile.Listener? {
        let keys = ["protocol", "port", "sslPolicy", "certificates", "alpnPolicy", "defaultActions", "rules", "attributes", "id"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let listenerProtocol: StateFile.TrafficProtocol? = required(fields, "protocol", enumeration)
        let port = required(fields, "port", integer)
        let defaultActions = requiredList(fields, "defaultActions", action)
        let rules = optionalList(fields, "rules", rule)
        let sslPolicy = optional(fields, "sslPolicy", string)
        let certificates = optionalList(fields, "certificates", string)
        let alpnPolicy = optional(fields, "alpnPolicy", string)
        let attributes = optional(fields, "attributes", stringMap) ?? [:]
        let id = optional(fields, "id", string)
        if let id, !Self.isARNIdentifier(id) {
            report("a listener's id is 16 hex digits (the last part of its ARN), not '\(id)'", at: path.key("id"))
        }
        guard let listenerProtocol, let port, let defaultActions else { return nil }
        return StateFile.Listener(protocol: listenerProtocol, port: port, defaultActions: defaultActions, rules: rules,
                                  sslPolicy: sslPolicy, certificates: certificates, alpnPolicy: alpnPolicy, attributes: attributes,
                                  id: id)
    }

    /// The last part of an ARN lbnet makes: 16 hex digits.
    static func isARNIdentifier(_ id: String) -> Bool {
        id.count == 16 && id.allSatisfy(\.isHexDigit)
    }
}
