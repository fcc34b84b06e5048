import Yams

extension StateFileDecoder {
    func vpc(_ node: Node, at path: FieldPath) -> StateFile.VPC? {
        guard let fields = fields(of: node, at: path, keys: ["name", "cidr", "subnets"]) else { return nil }
        let name = required(fields, "name", string)
        let cidr = required(fields, "cidr", network)
        let subnets = optionalList(fields, "subnets", subnet)
        guard let name, let cidr else { return nil }
        return StateFile.VPC(name: name, cidr: cidr, subnets: subnets)
    }

    func subnet(_ node: Node, at path: FieldPath) -> StateFile.Subnet? {
        guard let fields = fields(of: node, at: path, keys: ["name", "az", "cidr"]) else { return nil }
        let name = required(fields, "name", string)
        let az = required(fields, "az", string)
        let cidr = required(fields, "cidr", network)
        guard let name, let az, let cidr else { return nil }
        return StateFile.Subnet(name: name, az: az, cidr: cidr)
    }

    func instance(_ node: Node, at path: FieldPath) -> StateFile.Instance? {
        let keys = ["name", "subnet", "address", "run", "port", "imageId", "instanceType", "cpuCredits", "userData",
                    "disableApiTermination", "disableApiStop", "clientToken", "securityGroups", "tls"]
        guard let fields = fields(of: node, at: path, keys: keys) else { return nil }
        let name = required(fields, "name", string)
        let subnet = required(fields, "subnet", string)
        let address = optional(fields, "address", address)
        let run = optional(fields, "run") { list($0, at: $1, argument) }
        let port = optional(fields, "port", integer) ?? StateFile.Instance.defaultPort
        let userData = optional(fields, "userData", string)
        if run != nil || userData != nil, fields["port"] != nil {
            report("is the built-in target server's port; an instance with '\(run != nil ? "run" : "userData")' listens where its "
                   + "\(run != nil ? "command" : "script") says (remove one)",
                   at: fields.path.key("port"))
        }
        let tls = optional(fields, "tls", boolean) ?? false
        if run != nil || userData != nil, fields["tls"] != nil {
            report("is the built-in target server's protocol; an instance with '\(run != nil ? "run" : "userData")' serves what its "
                   + "\(run != nil ? "command" : "script") serves (remove one)",
                   at: fields.path.key("tls"))
        }
        if run != nil, userData != nil {
            report("an instance runs either 'run' or its 'userData' (remove one)", at: fields.path.key("userData"))
        }
        guard let name, let subnet else { return nil }
        return StateFile.Instance(
            name: name, subnet: subnet, address: address, run: run, port: port,
            imageId: optional(fields, "imageId", string), instanceType: optional(fields, "instanceType", string),
            cpuCredits: optional(fields, "cpuCredits", string), userData: userData,
            disableApiTermination: optional(fields, "disableApiTermination", boolean) ?? false,
            disableApiStop: optional(fields, "disableApiStop", boolean) ?? false,
            clientToken: optional(fields, "clientToken", string), securityGroups: optionalList(fields, "securityGroups", string),
            tls: tls)
    }

    func elasticIP(_ node: Node, at path: FieldPath) -> StateFile.ElasticIP? {
        guard let fields = fields(of: node, at: path, keys: ["name", "address"]) else { return nil }
        let name = required(fields, "name", string)
        let address = optional(fields, "address", address)
        guard let name else { return nil }
        return StateFile.ElasticIP(name: name, address: address)
    }
}
