import AWSAPI

/// ELBv2's calls that change an object in place: a target group's health check
/// (`ModifyTargetGroup`), a listener's protocol and default actions (`ModifyListener`) and a
/// load balancer's subnets (`SetSubnets`). Each edits the desired state like the create calls.
struct ELBv2Modifications {
    let changes: ELBv2Changes

    private var identity: AWSIdentity { changes.identity }
    private var editor: DesiredStateEditor { changes.editor }

    func modifyTargetGroup(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("ModifyTargetGroup", known: [
            "TargetGroupArn", "HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath", "HealthCheckEnabled",
            "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher.HttpCode",
        ])
        if let enabled = p["HealthCheckEnabled"], enabled != "true" { throw .validation("lbnet always checks target health; HealthCheckEnabled must be true") }
        let arn = try p.required("TargetGroupArn")
        let given = try changes.healthCheck(p) ?? StateFile.HealthCheck()
        let (index, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) -> Int in
            let index = try APINames(identity: identity, file: file, model: current).targetGroup(arn: arn)
            let old = file.targetGroups[index].healthCheck ?? StateFile.HealthCheck()
            let merged = StateFile.HealthCheck(
                protocol: given.protocol ?? old.protocol, port: given.port ?? old.port, path: given.path ?? old.path,
                intervalSeconds: given.intervalSeconds ?? old.intervalSeconds, timeoutSeconds: given.timeoutSeconds ?? old.timeoutSeconds,
                healthyThresholdCount: given.healthyThresholdCount ?? old.healthyThresholdCount,
                unhealthyThresholdCount: given.unhealthyThresholdCount ?? old.unhealthyThresholdCount, matcher: given.matcher ?? old.matcher)
            file.targetGroups[index].healthCheck = merged == StateFile.HealthCheck() ? nil : merged
            return index
        }
        return [XMLNode.members("TargetGroups", [try changes.describer(model).targetGroupShape(model.file.targetGroups[index])])]
    }

    /// A new port keeps the listener's ARN: the listener keeps the ID it had (written into the
    /// state file as its `id`), as AWS keeps a listener's ARN through a port change.
    func modifyListener(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("ModifyListener", known: ["ListenerArn", "Port", "Protocol", "DefaultActions.member.", "Certificates.member.", "SslPolicy",
                                                      "AlpnPolicy.member."])
        let arn = try p.required("ListenerArn")
        let (place, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) -> (Int, Int) in
            let (b, l) = try ListenerRuleARNs(identity: identity).listener(arn: arn, in: file)
            var listener = file.loadBalancers[b].listeners[l]
            if let given = p["Port"], given != String(listener.port) {
                guard let port = Int(given) else { throw .validation("Port '\(given)' is not a number") }
                listener.id = listener.id ?? AWSIdentity.listenerId(file.loadBalancers[b].name, port: listener.port)
                listener.port = port
            }
            if let given = p["Protocol"] {
                guard let proto = StateFile.TrafficProtocol(rawValue: given) else { throw .validation("Protocol '\(given)' is not one lbnet knows") }
                listener.protocol = proto
                // Certificates belong to HTTPS and TLS listeners only, an ALPN policy to TLS ones, as on AWS.
                if !proto.terminatesTLS { listener.certificates = []; listener.sslPolicy = nil }
                if proto != .tls { listener.alpnPolicy = nil }
            }
            let certificates = try changes.certificates(p, file: file)
            if !certificates.isEmpty { listener.certificates = certificates }
            if let policy = p["SslPolicy"] { listener.sslPolicy = policy }
            if let policy = try changes.alpnPolicy(p) { listener.alpnPolicy = policy }
            let names = APINames(identity: identity, file: file, model: current)
            let actions = try p.structures("DefaultActions.member.").sorted { ($0["Order"].flatMap(Int.init) ?? 0) < ($1["Order"].flatMap(Int.init) ?? 0) }
                .map { action throws(APIError) in try changes.action(action, names: names, file: file) }
            if !actions.isEmpty { listener.defaultActions = actions }
            file.loadBalancers[b].listeners[l] = listener
            return (b, l)
        }
        let balancer = model.file.loadBalancers[place.0]
        return [XMLNode.members("Listeners", [try changes.describer(model).listenerShape(balancer.listeners[place.1], of: balancer)])]
    }

    /// Sets an ALB's groups, or an NLB's (one created without groups cannot get any: the
    /// validator refuses it, as AWS does), and the NLB's PrivateLink switch.
    func setSecurityGroups(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("SetSecurityGroups", known: ["LoadBalancerArn", "SecurityGroups.member.", "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"])
        let arn = try p.required("LoadBalancerArn")
        let enforce = try p["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"].map { text throws(APIError) in
            guard let value = StateFile.OnOff(rawValue: text) else { throw .validation("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic must be on or off") }
            return value
        }
        let (index, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) -> Int in
            let names = APINames(identity: identity, file: file, model: current)
            let index = try names.loadBalancer(arn: arn)
            let vpc = file.loadBalancers[index].subnetNames.first.flatMap(names.vpc(ofSubnet:)) ?? ""
            file.loadBalancers[index].securityGroups = try names.securityGroups(ids: p.members("SecurityGroups"), vpc: vpc)
            if let enforce { file.loadBalancers[index].enforceSecurityGroupInboundRulesOnPrivateLinkTraffic = enforce }
            return index
        }
        let balancer = model.file.loadBalancers[index]
        let vpc = balancer.subnetNames.first.flatMap(APINames(identity: identity, file: model.file, model: model).vpc(ofSubnet:)) ?? ""
        return [.members("SecurityGroupIds", texts: balancer.securityGroups.map { identity.securityGroupId($0, vpc: vpc) })]
            + XMLNode.field("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", balancer.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic?.rawValue)
    }

    func setSubnets(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("SetSubnets", known: ["LoadBalancerArn", "Subnets.member.", "SubnetMappings.member.", "IpAddressType"])
        if let type = p["IpAddressType"], type != "ipv4" { throw .validation("lbnet supports IpAddressType ipv4 only, not '\(type)'") }
        let arn = try p.required("LoadBalancerArn")
        let (index, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) -> Int in
            let names = APINames(identity: identity, file: file, model: current)
            let index = try names.loadBalancer(arn: arn)
            let (subnets, mappings) = try changes.subnetChoice(p, names: names)
            if subnets.isEmpty, mappings.isEmpty { throw .validation("At least one subnet must be specified (Subnets or SubnetMappings)") }
            file.loadBalancers[index].subnets = subnets
            file.loadBalancers[index].subnetMappings = mappings
            return index
        }
        let shape = try changes.describer(model).loadBalancerShape(model.file.loadBalancers[index])
        let zones = shape.first { if case .element("AvailabilityZones", _) = $0 { true } else { false } }
        return (zones.map { [$0] } ?? []) + [.text("IpAddressType", "ipv4")]
    }
}
