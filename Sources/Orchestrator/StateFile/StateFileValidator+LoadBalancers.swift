extension StateFileValidator {
    /// Load balancers: type-specific settings, subnets and their AZs, Elastic IPs, listeners.
    mutating func validateLoadBalancers() {
        var attachedElasticIps: [String: FieldPath] = [:]
        for (position, loadBalancer) in file.loadBalancers.enumerated() {
            let path = Self.path("loadBalancers", position)
            checkTypeSpecificSettings(of: loadBalancer, at: path)
            checkSubnets(of: loadBalancer, at: path)
            checkSubnetMappings(of: loadBalancer, at: path, attachedElasticIps: &attachedElasticIps)
            checkListeners(of: loadBalancer, at: path)
            checkAccessLogAttributes(of: loadBalancer, at: path)
        }
    }

    private mutating func checkTypeSpecificSettings(of loadBalancer: StateFile.LoadBalancer, at path: FieldPath) {
        switch loadBalancer.type {
        case .network:
            break
        case .application:
            if loadBalancer.datapath != nil {
                report("datapath is only for network load balancers", at: path.key("datapath"))
            }
            if loadBalancer.scheduler != nil {
                report("scheduler is only for network load balancers", at: path.key("scheduler"))
            }
        }
    }

    /// Subnets given by either form: known, one per AZ, all in one VPC, two AZs for an ALB.
    private mutating func checkSubnets(of loadBalancer: StateFile.LoadBalancer, at path: FieldPath) {
        let usesMappings = !loadBalancer.subnetMappings.isEmpty
        if usesMappings && !loadBalancer.subnets.isEmpty {
            report("set either subnets or subnetMappings, not both", at: path)
            return
        }
        if loadBalancer.subnetNames.isEmpty {
            report("needs subnets or subnetMappings", at: path)
            return
        }
        let listPath = path.key(usesMappings ? "subnetMappings" : "subnets")
        var zones: [String: String] = [:]
        var firstSubnet: StateFileIndex.SubnetEntry?
        for (position, name) in loadBalancer.subnetNames.enumerated() {
            let itemPath = usesMappings ? listPath.index(position).key("subnetId") : listPath.index(position)
            guard let entry = subnet(named: name, at: itemPath) else { continue }
            if let first = firstSubnet, first.vpc.name != entry.vpc.name {
                report(
                    "subnet '\(name)' is in VPC '\(entry.vpc.name)', but '\(first.subnet.name)' is in VPC "
                        + "'\(first.vpc.name)'; a load balancer's subnets must all be in one VPC",
                    at: itemPath)
                continue
            }
            firstSubnet = firstSubnet ?? entry
            if let other = zones[entry.subnet.az] {
                report(
                    other == name
                        ? "subnet '\(name)' is listed twice"
                        : "subnet '\(name)' is in AZ '\(entry.subnet.az)' like '\(other)'; "
                            + "a load balancer takes one subnet per AZ",
                    at: itemPath)
                continue
            }
            zones[entry.subnet.az] = name
        }
        if loadBalancer.type == .application, zones.count == 1 {
            report("an application load balancer needs subnets in at least two AZs", at: listPath)
        }
    }

    /// Elastic IPs and private addresses of subnet mappings (their address ranges are checked with the instances).
    private mutating func checkSubnetMappings(
        of loadBalancer: StateFile.LoadBalancer, at path: FieldPath, attachedElasticIps: inout [String: FieldPath]
    ) {
        let isInternalNetwork = loadBalancer.type == .network && loadBalancer.scheme == .internal
        let isInternetFacingNetwork = loadBalancer.type == .network && loadBalancer.scheme == .internetFacing
        for (position, mapping) in loadBalancer.subnetMappings.enumerated() {
            let mappingPath = path.key("subnetMappings").index(position)
            if mapping.privateIPv4Address != nil, !isInternalNetwork {
                report(
                    "privateIPv4Address is only for internal network load balancers",
                    at: mappingPath.key("privateIPv4Address"))
            }
            guard let allocationId = mapping.allocationId else { continue }
            let allocationPath = mappingPath.key("allocationId")
            if !isInternetFacingNetwork {
                report("allocationId is only for internet-facing network load balancers", at: allocationPath)
            } else if index.elasticIps[allocationId] == nil {
                reportUnknown("Elastic IP", allocationId, among: index.elasticIps.keys, at: allocationPath)
            } else if let owner = attachedElasticIps[allocationId] {
                report("Elastic IP '\(allocationId)' is already attached by \(owner)", at: allocationPath)
            } else {
                attachedElasticIps[allocationId] = allocationPath
            }
        }
    }

    private mutating func checkListeners(of loadBalancer: StateFile.LoadBalancer, at path: FieldPath) {
        var ports: [Int: FieldPath] = [:]
        for (position, listener) in loadBalancer.listeners.enumerated() {
            let listenerPath = path.key("listeners").index(position)
            if listener.protocol.loadBalancerType != loadBalancer.type {
                let allowed = StateFile.TrafficProtocol.allCases.filter { $0.loadBalancerType == loadBalancer.type }
                report(
                    "\(listener.protocol.rawValue) is not a protocol of \(loadBalancer.type.rawValue) load balancers "
                        + "(use \(allowed.map(\.rawValue).joined(separator: ", ")))",
                    at: listenerPath.key("protocol"))
            }
            checkPort(listener.port, at: listenerPath.key("port"))
            if let other = ports[listener.port] {
                report("port \(listener.port) already has a listener (\(other))", at: listenerPath.key("port"))
            } else {
                ports[listener.port] = listenerPath
            }
            let context = ActionContext(loadBalancer: loadBalancer, listener: listener, vpc: vpcName(of: loadBalancer))
            checkActions(listener.defaultActions, in: context, at: listenerPath.key("defaultActions"))
            if !listener.rules.isEmpty, loadBalancer.type != .application {
                report("listener rules are only for application load balancers", at: listenerPath.key("rules"))
                continue
            }
            checkRules(listener.rules, in: context, at: listenerPath.key("rules"))
        }
    }
}
