import Yams

extension StateFileDecoder {
    func securityGroup(_ node: Node, at path: FieldPath) -> StateFile.SecurityGroup? {
        let keys = ["name", "vpc", "groupName", "description", "ingress", "egress"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let name = required(fields, "name", string)
        let vpc = required(fields, "vpc", string)
        let description = optional(fields, "description", string)
        let groupName = optional(fields, "groupName", string)
        let ingress = optionalList(fields, "ingress") { self.securityGroupRule($0, at: $1, peerKey: "sourceSecurityGroup") }
        let egress = optional(fields, "egress") { node, path in
            self.list(node, at: path) { self.securityGroupRule($0, at: $1, peerKey: "destinationSecurityGroup") }
        }
        guard let name, let vpc else { return nil }
        return StateFile.SecurityGroup(name: name, vpc: vpc, description: description, groupName: groupName,
                                       ingress: ingress, egress: egress)
    }

    /// An ingress or egress rule; `peerKey` is the key naming a peer group in this direction.
    private func securityGroupRule(_ node: Node, at path: FieldPath, peerKey: String) -> StateFile.SecurityGroupRule? {
        let keys = ["ipProtocol", "fromPort", "toPort", "cidrIp", peerKey, "description"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let ipProtocol = required(fields, "ipProtocol", string)
        let fromPort = optional(fields, "fromPort", integer)
        let toPort = optional(fields, "toPort", integer)
        let cidr = optional(fields, "cidrIp", network)
        let group = optional(fields, peerKey, string)
        let description = optional(fields, "description", string)
        if fields["cidrIp"] != nil, fields[peerKey] != nil {
            report("set either cidrIp or \(peerKey), not both", at: path)
            return nil
        }
        if fields["cidrIp"] == nil, fields[peerKey] == nil {
            report("needs cidrIp or \(peerKey)", at: path)
            return nil
        }
        guard let ipProtocol else { return nil }
        let peer: StateFile.SecurityGroupPeer
        if let cidr {
            peer = .cidr(cidr)
        } else if let group {
            peer = .securityGroup(group)
        } else {
            return nil
        }
        return StateFile.SecurityGroupRule(ipProtocol: ipProtocol, fromPort: fromPort, toPort: toPort, peer: peer,
                                           description: description)
    }

    /// AWS's `on` or `off`; YAML reads both unquoted as booleans, which are taken as `on`/`off`.
    func onOff(_ node: Node, at path: FieldPath) -> StateFile.OnOff? {
        if node.tagName == .bool, let value = node.bool {
            record(node, at: path)
            return value ? .on : .off
        }
        return enumeration(node, at: path)
    }
}
