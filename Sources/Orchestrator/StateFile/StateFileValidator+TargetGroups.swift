import Kernel
import L7Proxy

extension StateFileValidator {
    /// The most `alb` target groups one application load balancer can be registered in.
    static let maximumALBRegistrations = 2

    /// Target groups: VPC, port, targets of the right kind, health check, and the `alb` type's rules.
    mutating func validateTargetGroups() {
        var albRegistrations: [String: [FieldPath]] = [:]
        for (position, group) in file.targetGroups.enumerated() {
            let path = Self.path("targetGroups", position)
            let vpc = vpc(named: group.vpc, at: path.key("vpc"))
            checkPort(group.port, at: path.key("port"))
            checkTargets(of: group, in: vpc, at: path, albRegistrations: &albRegistrations)
            if let healthCheck = group.healthCheck {
                checkHealthCheck(healthCheck, of: group, at: path.key("healthCheck"))
            }
            if group.targetType == .alb {
                checkALBGroup(group, at: path)
            }
            if let version = group.protocolVersion {
                checkProtocolVersion(version, of: group, at: path.key("protocolVersion"))
            }
        }
    }

    /// AWS's `ProtocolVersion`, of HTTP and HTTPS groups only; lbnet serves `HTTP1` and `HTTP2`.
    private mutating func checkProtocolVersion(_ version: String, of group: StateFile.TargetGroup, at path: FieldPath) {
        if group.protocol.loadBalancerType != .application {
            report("only HTTP and HTTPS target groups have a protocol version", at: path)
        } else if version == "GRPC" {
            report("lbnet does not implement protocol version GRPC (gRPC health checks and status codes); it implements HTTP1 and HTTP2",
                   at: path)
        } else if TargetGroupConfiguration.ProtocolVersion(rawValue: version) == nil {
            report("unknown protocol version '\(version)'; AWS's are HTTP1, HTTP2, GRPC", at: path)
        }
    }

    private mutating func checkTargets(
        of group: StateFile.TargetGroup, in vpc: StateFile.VPC?, at path: FieldPath,
        albRegistrations: inout [String: [FieldPath]]
    ) {
        var registered: [String: FieldPath] = [:]
        for (position, target) in group.targets.enumerated() {
            let targetPath = path.key("targets").index(position)
            let port = target.port ?? group.port
            if let explicitPort = target.port {
                checkPort(explicitPort, at: targetPath.key("port"))
            }
            let key = "\(target.id):\(port)"
            if let other = registered[key] {
                report("target \(key) is already registered (\(other))", at: targetPath)
                continue
            }
            registered[key] = targetPath
            let idPath = targetPath.key("id")
            switch group.targetType {
            case .instance:
                checkInstanceTarget(target.id, in: vpc, at: idPath)
            case .ip:
                checkAddressTarget(target.id, in: vpc, at: idPath)
            case .alb:
                checkALBTarget(
                    target.id, port: port, of: group, groupPath: path, at: idPath, albRegistrations: &albRegistrations)
            }
        }
    }

    private mutating func checkInstanceTarget(_ id: String, in vpc: StateFile.VPC?, at path: FieldPath) {
        guard let position = index.instances[id] else {
            reportUnknown("instance", id, among: index.instances.keys, at: path)
            return
        }
        let subnetName = file.instances[position].subnet
        if let vpc, let instanceVPC = index.subnets[subnetName]?.vpc, instanceVPC.name != vpc.name {
            report(
                "InvalidTarget: instance '\(id)' is in VPC '\(instanceVPC.name)', not in the target group's VPC '\(vpc.name)'",
                at: path)
        }
    }

    private mutating func checkAddressTarget(_ id: String, in vpc: StateFile.VPC?, at path: FieldPath) {
        guard let address = IPv4Address(id) else {
            report("'\(id)' is not an IPv4 address like 10.0.1.11", at: path)
            return
        }
        if let vpc, !vpc.cidr.contains(address) {
            report("\(address) is outside the target group's VPC '\(vpc.name)' (\(vpc.cidr))", at: path)
        }
    }

    /// An application load balancer in the group's VPC with listeners on the target port and the health
    /// check's port, registered in at most two `alb` target groups.
    private mutating func checkALBTarget(
        _ id: String, port: Int, of group: StateFile.TargetGroup, groupPath: FieldPath, at path: FieldPath,
        albRegistrations: inout [String: [FieldPath]]
    ) {
        guard let position = index.loadBalancers[id] else {
            if previous?.loadBalancers.contains(where: { $0.name == id && $0.type == .application }) == true {
                report("ResourceInUse: load balancer '\(id)' cannot be deleted because it is registered in target group "
                       + "'\(group.name)'; deregister it from the target group first", at: path)
            } else {
                reportUnknown("load balancer", id, among: index.loadBalancers.keys, at: path)
            }
            return
        }
        let loadBalancer = file.loadBalancers[position]
        guard loadBalancer.type == .application else {
            report(
                "InvalidTarget: '\(id)' is a \(loadBalancer.type.rawValue) load balancer; an alb target group needs an application one",
                at: path)
            return
        }
        if let vpc = vpcName(of: loadBalancer), vpc != group.vpc {
            report(
                "InvalidTarget: application load balancer '\(id)' is in VPC '\(vpc)', not in the target group's VPC '\(group.vpc)'",
                at: path)
        }
        let listenerPorts = loadBalancer.listeners.map(\.port)
        if !listenerPorts.contains(port) {
            let ports = listenerPorts.isEmpty ? "none" : listenerPorts.map(String.init).joined(separator: ", ")
            report(
                "InvalidTarget: application load balancer '\(id)' has no listener on port \(port) (its listener ports: \(ports))",
                at: path)
        }
        let registrations = albRegistrations[id, default: []]
        if registrations.count >= Self.maximumALBRegistrations {
            report(
                "TooManyRegistrationsForTargetId: application load balancer '\(id)' is already the target of "
                    + "\(registrations.map(\.description).joined(separator: " and ")); "
                    + "it can be the target of at most \(Self.maximumALBRegistrations) target groups",
                at: path)
        }
        albRegistrations[id] = registrations + [groupPath]
        checkALBHealthCheckListener(of: loadBalancer, trafficPort: port, group: group, at: groupPath.key("healthCheck"))
    }

    /// The ALB answers its `alb` target group's health checks itself, so it needs a listener for them.
    private mutating func checkALBHealthCheckListener(
        of loadBalancer: StateFile.LoadBalancer, trafficPort: Int, group: StateFile.TargetGroup, at path: FieldPath
    ) {
        let probe = group.healthCheck?.protocol ?? Self.defaultHealthCheckProtocol(for: group)
        guard probe != .tcp else { return }
        var port = trafficPort
        if case .port(let explicitPort) = group.healthCheck?.port {
            port = explicitPort
        }
        let listenerProtocol: StateFile.TrafficProtocol = probe == .https ? .https : .http
        if !loadBalancer.listeners.contains(where: { $0.port == port && $0.protocol == listenerProtocol }) {
            report(
                "application load balancer '\(loadBalancer.name)' has no \(listenerProtocol.rawValue) listener "
                    + "on health check port \(port)",
                at: path)
        }
    }

    /// An `alb` target group speaks TCP, holds one load balancer and keeps its default attributes.
    private mutating func checkALBGroup(_ group: StateFile.TargetGroup, at path: FieldPath) {
        if group.protocol != .tcp {
            report("a target group of type alb uses TCP, not \(group.protocol.rawValue)", at: path.key("protocol"))
        }
        if group.targets.count > 1 {
            report(
                "TooManyTargets: a target group of type alb holds one application load balancer, got \(group.targets.count)",
                at: path.key("targets"))
        }
        if !group.attributes.isEmpty {
            report("the attributes of a target group of type alb cannot be changed", at: path.key("attributes"))
        }
    }
}
