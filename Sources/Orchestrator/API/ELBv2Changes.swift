import AWSAPI
import Health
import Kernel
import L7Proxy

/// ELBv2's calls that create, change and delete: each edits the desired state through the
/// ``DesiredStateEditor`` (checked like a state file, then applied to the kernel) and answers
/// with the objects as they now are. Parameters lbnet does not carry out are refused by name.
struct ELBv2Changes {
    let identity: AWSIdentity
    let editor: DesiredStateEditor
    let describer: @Sendable (DeploymentModel) -> ELBv2Describer

    func createLoadBalancer(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("CreateLoadBalancer", known: ["Name", "Subnets.member.", "SubnetMappings.member.", "Scheme", "Type", "IpAddressType",
                                                                  "SecurityGroups.member."])
        if let type = p["IpAddressType"], type != "ipv4" { throw .validation("lbnet supports IpAddressType ipv4 only, not '\(type)'") }
        let name = try p.required("Name")
        guard let type = StateFile.LoadBalancerType(rawValue: p["Type"] ?? "application") else {
            throw .validation("Type '\(p["Type"]!)' is not application or network (lbnet has no gateway load balancers)")
        }
        guard let scheme = StateFile.LoadBalancerScheme(rawValue: p["Scheme"] ?? "internet-facing") else {
            throw .validation("Scheme '\(p["Scheme"]!)' is not internet-facing or internal")
        }
        let (_, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            let names = APINames(identity: identity, file: file, model: current)
            let (subnets, mappings) = try subnetChoice(p, names: names)
            if subnets.isEmpty, mappings.isEmpty { throw .validation("At least one subnet must be specified (Subnets or SubnetMappings)") }
            var balancer = StateFile.LoadBalancer(name: name, type: type, scheme: scheme, subnets: subnets, subnetMappings: mappings)
            let vpc = balancer.subnetNames.first.flatMap(names.vpc(ofSubnet:)) ?? ""
            balancer.securityGroups = try names.securityGroups(ids: p.members("SecurityGroups"), vpc: vpc)
            if let existing = file.loadBalancers.first(where: { $0.name == name }) {
                guard existing.type == balancer.type, existing.scheme == balancer.scheme, existing.subnetNames == balancer.subnetNames else {
                    throw APIError("DuplicateLoadBalancerName", "A load balancer with the same name '\(name)' exists, but with different settings")
                }
                return
            }
            file.loadBalancers.append(balancer)
        }
        let created = try find(model.file.loadBalancers, name)
        return [XMLNode.members("LoadBalancers", [try describer(model).loadBalancerShape(created)])]
    }

    func deleteLoadBalancer(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DeleteLoadBalancer", known: ["LoadBalancerArn"])
        let arn = try p.required("LoadBalancerArn")
        _ = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            // Deleting a load balancer that is not there succeeds, as on AWS.
            guard let index = try? APINames(identity: identity, file: file, model: current).loadBalancer(arn: arn) else { return }
            file.loadBalancers.remove(at: index)
        }
        return []
    }

    func createTargetGroup(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("CreateTargetGroup", known: [
            "Name", "Protocol", "Port", "VpcId", "TargetType", "HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath",
            "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount",
            "Matcher.HttpCode", "HealthCheckEnabled", "ProtocolVersion", "IpAddressType",
        ])
        if let enabled = p["HealthCheckEnabled"], enabled != "true" { throw .validation("lbnet always checks target health; HealthCheckEnabled must be true") }
        if let type = p["IpAddressType"], type != "ipv4" { throw .validation("lbnet supports IpAddressType ipv4 only, not '\(type)'") }
        let name = try p.required("Name")
        guard let targetType = StateFile.TargetType(rawValue: p["TargetType"] ?? "instance") else {
            throw .validation("TargetType '\(p["TargetType"]!)' is not instance, ip or alb (lbnet has no lambda targets)")
        }
        guard let proto = StateFile.TrafficProtocol(rawValue: try p.required("Protocol")) else {
            throw .validation("Protocol '\(p["Protocol"]!)' is not one lbnet knows")
        }
        guard let port = Int(try p.required("Port")) else { throw .validation("Port '\(p["Port"]!)' is not a number") }
        let check = try healthCheck(p)
        let (_, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            let vpc = try APINames(identity: identity, file: file, model: current).vpc(id: try p.required("VpcId"))
            // The validator refuses what lbnet does not serve (GRPC) and versions on TCP, UDP and TLS groups, naming them.
            let version = p["ProtocolVersion"].flatMap { $0.isEmpty || $0 == "HTTP1" ? nil : $0 }
            let group = StateFile.TargetGroup(name: name, targetType: targetType, protocol: proto, port: port, vpc: vpc, healthCheck: check,
                                              protocolVersion: version)
            if let existing = file.targetGroups.first(where: { $0.name == name }) {
                guard existing.targetType == group.targetType, existing.protocol == group.protocol, existing.port == group.port,
                      existing.vpc == group.vpc, existing.healthCheck == group.healthCheck,
                      existing.protocolVersion == group.protocolVersion else {
                    throw APIError("DuplicateTargetGroupName", "A target group with the same name '\(name)' exists, but with different settings")
                }
                return
            }
            file.targetGroups.append(group)
        }
        return [XMLNode.members("TargetGroups", [try describer(model).targetGroupShape(try find(model.file.targetGroups, name))])]
    }

    func deleteTargetGroup(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DeleteTargetGroup", known: ["TargetGroupArn"])
        let arn = try p.required("TargetGroupArn")
        _ = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            guard let index = try? APINames(identity: identity, file: file, model: current).targetGroup(arn: arn) else { return }
            let name = file.targetGroups[index].name
            let used = file.loadBalancers.contains { balancer in
                balancer.listeners.contains { ($0.defaultActions + $0.rules.flatMap(\.actions)).contains { $0.forwardTargets.contains { $0.targetGroupName == name } } }
            }
            if used { throw APIError("ResourceInUse", "Target group '\(arn)' is currently in use by a listener or a rule") }
            file.targetGroups.remove(at: index)
        }
        return []
    }

    func registerTargets(_ p: QueryParameters, register: Bool) async throws(APIError) -> [XMLNode] {
        let action = register ? "RegisterTargets" : "DeregisterTargets"
        try p.refuseUnknown(action, known: ["TargetGroupArn", "Targets.member."])
        let targets = p.structures("Targets.member.")
        for target in targets {
            if let unknown = target.values.keys.first(where: { !["Id", "Port"].contains($0) }) {
                throw .validation("lbnet does not implement the target field \(unknown) of \(action) yet")
            }
        }
        guard !targets.isEmpty else { throw .validation("Targets must name at least one target") }
        let arn = try p.required("TargetGroupArn")
        _ = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            let names = APINames(identity: identity, file: file, model: current)
            let index = try names.targetGroup(arn: arn)
            for target in targets {
                let id = try target.required("Id")
                let port = try target["Port"].map { text throws(APIError) in
                    guard let port = Int(text) else { throw .validation("Port '\(text)' is not a number") }
                    return port
                }
                let entry = StateFile.Target(id: try names.target(id: id, type: file.targetGroups[index].targetType), port: port)
                let group = file.targetGroups[index]
                let known = group.targets.firstIndex { $0.id == entry.id && ($0.port ?? group.port) == (entry.port ?? group.port) }
                if register {
                    if known == nil { file.targetGroups[index].targets.append(entry) }
                } else {
                    guard let known else {
                        throw APIError("InvalidTarget", "The following targets are not registered in target group '\(group.name)': '\(id)'")
                    }
                    file.targetGroups[index].targets.remove(at: known)
                }
            }
        }
        return []
    }

    func createListener(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("CreateListener", known: ["LoadBalancerArn", "Protocol", "Port", "DefaultActions.member.", "Certificates.member.", "SslPolicy",
                                                      "AlpnPolicy.member."])
        guard let port = Int(try p.required("Port")) else { throw .validation("Port '\(p["Port"]!)' is not a number") }
        let arn = try p.required("LoadBalancerArn")
        let (balancerName, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) -> String in
            let names = APINames(identity: identity, file: file, model: current)
            let index = try names.loadBalancer(arn: arn)
            let balancer = file.loadBalancers[index]
            let proto: StateFile.TrafficProtocol
            if let given = p["Protocol"] {
                guard let known = StateFile.TrafficProtocol(rawValue: given) else { throw .validation("Protocol '\(given)' is not one lbnet knows") }
                proto = known
            } else {
                proto = balancer.type == .application ? .http : .tcp
            }
            let actions = try p.structures("DefaultActions.member.").sorted { ($0["Order"].flatMap(Int.init) ?? 0) < ($1["Order"].flatMap(Int.init) ?? 0) }
                .map { action throws(APIError) in try self.action(action, names: names, file: file) }
            guard !actions.isEmpty else { throw .validation("DefaultActions must name at least one action") }
            if balancer.listeners.contains(where: { $0.port == port }) {
                throw APIError("DuplicateListener", "A listener already exists on this port for this load balancer")
            }
            file.loadBalancers[index].listeners.append(StateFile.Listener(
                protocol: proto, port: port, defaultActions: actions, sslPolicy: p["SslPolicy"], certificates: try certificates(p, file: file),
                alpnPolicy: try alpnPolicy(p)))
            return balancer.name
        }
        let balancer = try find(model.file.loadBalancers, balancerName)
        let listener = try find(balancer.listeners, port: port)
        return [XMLNode.members("Listeners", [try describer(model).listenerShape(listener, of: balancer)])]
    }

    func deleteListener(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DeleteListener", known: ["ListenerArn"])
        let arn = try p.required("ListenerArn")
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            for (index, balancer) in file.loadBalancers.enumerated() {
                if let listener = balancer.listeners.firstIndex(where: { identity.listenerArn(balancer, $0) == arn }) {
                    file.loadBalancers[index].listeners.remove(at: listener)
                    return
                }
            }
            throw APIError("ListenerNotFound", "One or more listeners not found")
        }
        return []
    }

    // MARK: Parts

    /// `Certificates.member.N.CertificateArn` as names of the `certificates` section (lbnet has no
    /// ACM API: certificates are declared in the state file; their ARNs are those DescribeListeners shows).
    func certificates(_ p: QueryParameters, file: StateFile) throws(APIError) -> [String] {
        try p.structures("Certificates.member.").map { certificate throws(APIError) in
            let arn = try certificate.required("CertificateArn")
            guard let found = file.certificates.first(where: { identity.certificateArn($0.name) == arn }) else {
                throw APIError("CertificateNotFound", "Certificate '\(arn)' not found (declare certificates in the state file's certificates section)")
            }
            return found.name
        }
    }

    /// `AlpnPolicy.member.1`: AWS takes one policy name in the list.
    func alpnPolicy(_ p: QueryParameters) throws(APIError) -> String? {
        let policies = p.members("AlpnPolicy")
        guard policies.count <= 1 else { throw .validation("AlpnPolicy takes one policy name, not \(policies.count)") }
        if let policy = policies.first, ALPNPolicy(rawValue: policy) == nil {
            throw APIError("ALPNPolicyNotFound", "ALPN policy '\(policy)' not found")
        }
        return policies.first
    }

    /// `Subnets` or `SubnetMappings` (not both) as the state file names them.
    func subnetChoice(_ p: QueryParameters, names: APINames) throws(APIError) -> ([String], [StateFile.SubnetMapping]) {
        let subnets = try p.members("Subnets").map { id throws(APIError) in try names.subnet(id: id) }
        let mappings = try p.structures("SubnetMappings.member.").map { mapping throws(APIError) in
            StateFile.SubnetMapping(subnetId: try names.subnet(id: try mapping.required("SubnetId")),
                                    allocationId: try mapping["AllocationId"].map { id throws(APIError) in try names.elasticIP(allocationId: id) },
                                    privateIPv4Address: try mapping["PrivateIPv4Address"].map { text throws(APIError) in
                                        guard let address = IPv4Address(text) else { throw .validation("'\(text)' is not an IPv4 address") }
                                        return address
                                    })
        }
        if !subnets.isEmpty, !mappings.isEmpty { throw .validation("Subnets and SubnetMappings cannot be specified together") }
        return (subnets, mappings)
    }

    func action(_ p: QueryParameters, names: APINames, file: StateFile) throws(APIError) -> StateFile.Action {
        let type = try p.required("Type")
        switch type {
        case "forward":
            try p.refuseUnknown("a forward action", known: ["Type", "Order", "TargetGroupArn", "ForwardConfig.TargetGroups.member."])
            if let arn = p["TargetGroupArn"] {
                return .forward(to: file.targetGroups[try names.targetGroup(arn: arn)].name)
            }
            let groups = try p.structures("ForwardConfig.TargetGroups.member.").map { group throws(APIError) in
                StateFile.WeightedTargetGroup(targetGroupName: file.targetGroups[try names.targetGroup(arn: try group.required("TargetGroupArn"))].name,
                                              weight: group["Weight"].flatMap(Int.init) ?? 1)
            }
            guard !groups.isEmpty else { throw .validation("A forward action needs TargetGroupArn or ForwardConfig.TargetGroups") }
            return StateFile.Action(type: .forward, forwardConfig: StateFile.ForwardConfig(targetGroups: groups))
        case "fixed-response":
            try p.refuseUnknown("a fixed-response action", known: ["Type", "Order", "FixedResponseConfig.StatusCode",
                                                                    "FixedResponseConfig.ContentType", "FixedResponseConfig.MessageBody"])
            return StateFile.Action(type: .fixedResponse, fixedResponseConfig: StateFile.FixedResponseConfig(
                statusCode: try p.required("FixedResponseConfig.StatusCode"), contentType: p["FixedResponseConfig.ContentType"],
                messageBody: p["FixedResponseConfig.MessageBody"]))
        case "redirect":
            try p.refuseUnknown("a redirect action", known: ["Type", "Order", "RedirectConfig."])
            guard let status = StateFile.RedirectStatusCode(rawValue: try p.required("RedirectConfig.StatusCode")) else {
                throw .validation("RedirectConfig.StatusCode must be HTTP_301 or HTTP_302")
            }
            return StateFile.Action(type: .redirect, redirectConfig: StateFile.RedirectConfig(
                protocol: p["RedirectConfig.Protocol"], host: p["RedirectConfig.Host"], port: p["RedirectConfig.Port"],
                path: p["RedirectConfig.Path"], query: p["RedirectConfig.Query"], statusCode: status))
        default:
            throw .validation("lbnet does not implement actions of type '\(type)' yet")
        }
    }

    func healthCheck(_ p: QueryParameters) throws(APIError) -> StateFile.HealthCheck? {
        func number(_ key: String) throws(APIError) -> Int? {
            try p[key].map { text throws(APIError) in
                guard let value = Int(text) else { throw .validation("\(key) '\(text)' is not a number") }
                return value
            }
        }
        let check = StateFile.HealthCheck(
            protocol: try p["HealthCheckProtocol"].map { text throws(APIError) in
                guard let value = StateFile.HealthCheckProtocol(rawValue: text) else { throw .validation("HealthCheckProtocol '\(text)' is not HTTP, HTTPS or TCP") }
                return value
            },
            port: try p["HealthCheckPort"].map { text throws(APIError) in
                if text == "traffic-port" { return .trafficPort }
                guard let port = Int(text) else { throw .validation("HealthCheckPort '\(text)' is not a port or traffic-port") }
                return .port(port)
            },
            path: p["HealthCheckPath"], intervalSeconds: try number("HealthCheckIntervalSeconds"),
            timeoutSeconds: try number("HealthCheckTimeoutSeconds"), healthyThresholdCount: try number("HealthyThresholdCount"),
            unhealthyThresholdCount: try number("UnhealthyThresholdCount"),
            matcher: try p["Matcher.HttpCode"].map { text throws(APIError) in
                guard let matcher = HTTPCodeMatcher(text) else { throw .validation("Matcher.HttpCode '\(text)' is not codes like 200 or 200-299") }
                return matcher
            })
        return check == StateFile.HealthCheck() ? nil : check
    }

    private func find(_ balancers: [StateFile.LoadBalancer], _ name: String) throws(APIError) -> StateFile.LoadBalancer {
        guard let found = balancers.first(where: { $0.name == name }) else { throw .internalFailure("load balancer \(name) vanished") }
        return found
    }

    private func find(_ groups: [StateFile.TargetGroup], _ name: String) throws(APIError) -> StateFile.TargetGroup {
        guard let found = groups.first(where: { $0.name == name }) else { throw .internalFailure("target group \(name) vanished") }
        return found
    }

    private func find(_ listeners: [StateFile.Listener], port: Int) throws(APIError) -> StateFile.Listener {
        guard let found = listeners.first(where: { $0.port == port }) else { throw .internalFailure("listener on port \(port) vanished") }
        return found
    }
}
