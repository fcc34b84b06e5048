import AWSAPI
import L7Proxy
import Foundation
import Health

/// ELBv2's describe calls over the applied model and the daemon's status report: load
/// balancers with their real state, listeners, target groups with their effective health
/// checks, and target health as the checks found it.
struct ELBv2Describer {
    let identity: AWSIdentity
    let creationTimes: APICreationTimes
    let model: DeploymentModel?
    let report: StatusReport?

    private var file: StateFile? { model?.file }
    private var balancers: [StateFile.LoadBalancer] { file?.loadBalancers ?? [] }
    private var groups: [StateFile.TargetGroup] { file?.targetGroups ?? [] }

    func describeLoadBalancers(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        let arns = parameters.members("LoadBalancerArns"), names = parameters.members("Names")
        if !arns.isEmpty, !names.isEmpty { throw .validation("Load balancer names and load balancer ARNs cannot be specified at the same time") }
        let chosen = try Self.select(balancers, names: names, arns: arns, name: \.name, byArn: loadBalancer(arn:)) { name in
            APIError("LoadBalancerNotFound", "Load balancers '[\(name)]' not found")
        }
        let page = try APIPage(marker: parameters["Marker"], size: parameters["PageSize"], limit: 1...400, sizeName: "PageSize")
        let (items, next) = page.slice(chosen)
        return [XMLNode.members("LoadBalancers", try items.map { b throws(APIError) in try loadBalancerShape(b) })] + XMLNode.field("NextMarker", next)
    }

    func describeListeners(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        var listeners: [(StateFile.LoadBalancer, StateFile.Listener)] = []
        if let arn = parameters["LoadBalancerArn"] {
            let balancer = try loadBalancer(arn: arn)
            listeners = balancer.listeners.map { (balancer, $0) }
        } else {
            let arns = parameters.members("ListenerArns")
            guard !arns.isEmpty else { throw .validation("You must specify either listener ARNs or a load balancer ARN") }
            var byArn: [String: (StateFile.LoadBalancer, StateFile.Listener)] = [:]
            for balancer in balancers {
                for listener in balancer.listeners { byArn[identity.listenerArn(balancer, listener)] = (balancer, listener) }
            }
            listeners = try arns.map { arn throws(APIError) in
                guard let found = byArn[arn] else { throw APIError("ListenerNotFound", "One or more listeners not found") }
                return found
            }
        }
        let page = try APIPage(marker: parameters["Marker"], size: parameters["PageSize"], limit: 1...400, sizeName: "PageSize")
        let (items, next) = page.slice(listeners)
        return [XMLNode.members("Listeners", try items.map { pair throws(APIError) in try listenerShape(pair.1, of: pair.0) })]
            + XMLNode.field("NextMarker", next)
    }

    func describeTargetGroups(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        var chosen = groups
        let arns = parameters.members("TargetGroupArns"), names = parameters.members("Names")
        if let arn = parameters["LoadBalancerArn"] {
            let balancer = try loadBalancer(arn: arn)
            chosen = groups.filter { users(of: $0.name).contains(balancer.name) }
        }
        chosen = try Self.select(chosen, names: names, arns: arns, name: \.name, byArn: targetGroup(arn:)) { _ in
            APIError("TargetGroupNotFound", "One or more target groups not found")
        }
        let page = try APIPage(marker: parameters["Marker"], size: parameters["PageSize"], limit: 1...400, sizeName: "PageSize")
        let (items, next) = page.slice(chosen)
        return [XMLNode.members("TargetGroups", try items.map { g throws(APIError) in try targetGroupShape(g) })] + XMLNode.field("NextMarker", next)
    }

    func describeTargetHealth(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        let group = try targetGroup(arn: try parameters.required("TargetGroupArn"))
        let asked = parameters.structures("Targets.member.").map { ($0["Id"] ?? "", $0["Port"].flatMap(Int.init)) }
        let settings = HealthCheckTargets.settings(of: group)
        func healthCheckPort(_ port: Int) -> String { settings.port.description == "traffic-port" ? String(port) : settings.port.description }
        let registered = try group.targets.map { target throws(APIError) in (target, try targetId(target, in: group), target.port ?? group.port) }
        let described: [(id: String, port: Int, health: (state: String, reason: String?))] = asked.isEmpty
            ? registered.map { target, id, port in (id, port, health(of: target, port: port, in: group)) }
            : asked.map { id, port in
                // A target asked for but not registered is `unused`, as AWS answers it.
                guard let (target, _, known) = registered.first(where: { $0.1 == id && (port == nil || $0.2 == port) }) else {
                    return (id, port ?? group.port, ("unused", "Target.NotRegistered"))
                }
                return (id, known, health(of: target, port: known, in: group))
            }
        return [XMLNode.members("TargetHealthDescriptions", described.map { id, port, health in
            [
                XMLNode.element("Target", [.text("Id", id), .text("Port", String(port))]),
                .text("HealthCheckPort", healthCheckPort(port)),
                .element("TargetHealth", [.text("State", health.state)] + XMLNode.field("Reason", health.reason)
                    + XMLNode.field("Description", health.reason.map(Self.describe))),
            ]
        })]
    }

    /// The security policies lbnet's HTTPS listeners implement, with their versions and ciphers.
    func describeSSLPolicies(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        try parameters.refuseUnknown("DescribeSSLPolicies", known: ["Names.member.", "Marker", "PageSize", "LoadBalancerType"])
        if let type = parameters["LoadBalancerType"], type != "application" {
            throw .validation("lbnet's network load balancers have no TLS listeners; LoadBalancerType must be application")
        }
        let asked = parameters.members("Names")
        if let unknown = asked.first(where: { SSLPolicy.named($0) == nil }) {
            throw APIError("SSLPolicyNotFound", "SSL policy '\(unknown)' not found")
        }
        let policies = (asked.isEmpty ? SSLPolicy.names : asked).compactMap(SSLPolicy.named)
        let versions: [SSLPolicy.Version: String] = [.tls1_0: "TLSv1", .tls1_1: "TLSv1.1", .tls1_2: "TLSv1.2", .tls1_3: "TLSv1.3"]
        let tls13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
        return [.members("SslPolicies", policies.map { policy in
            let protocols = versions.keys.filter { $0 >= policy.minimumVersion && $0 <= policy.maximumVersion }.sorted().compactMap { versions[$0] }
            let ciphers = (policy.maximumVersion == .tls1_3 ? tls13 : []) + policy.ciphers
            return [.text("Name", policy.name), .members("SslProtocols", texts: protocols),
                    .members("Ciphers", ciphers.enumerated().map { index, name in [.text("Name", name), .text("Priority", String(index + 1))] }),
                    .members("SupportedLoadBalancerTypes", texts: ["application"])]
        })]
    }

    /// No load balancer has reserved capacity (lbnet's nodes have no capacity units to reserve).
    func describeCapacityReservation(_ parameters: QueryParameters) throws(APIError) -> [XMLNode] {
        try parameters.refuseUnknown("DescribeCapacityReservation", known: ["LoadBalancerArn"])
        _ = try loadBalancer(arn: try parameters.required("LoadBalancerArn"))
        return [.text("DecreaseRequestsRemaining", "3"), .members("CapacityReservationState", [])]
    }

    func describeAccountLimits() -> [XMLNode] {
        let limits: [(String, Int)] = [
            ("application-load-balancers", 50), ("listeners-per-application-load-balancer", 50),
            ("rules-per-application-load-balancer", 100), ("network-load-balancers", 50),
            ("listeners-per-network-load-balancer", 50), ("target-groups", 3000),
            ("targets-per-application-load-balancer", 1000), ("targets-per-network-load-balancer", 3000),
        ]
        return [XMLNode.members("Limits", limits.map { [.text("Name", $0.0), .text("Max", String($0.1))] })]
    }

    // MARK: Shapes

    func loadBalancerShape(_ balancer: StateFile.LoadBalancer) throws(APIError) -> [XMLNode] {
        let subnets = balancer.subnetNames.compactMap { name in model?.topology.vpcs.flatMap(\.subnets).first { $0.name == name } }
        let vpc = model?.topology.vpcs.first { $0.subnets.contains { subnets.first?.name == $0.name } }?.name ?? ""
        let zones = try subnets.map { subnet throws(APIError) -> [XMLNode] in
            let nodes = model?.networkLoadBalancerNodes.filter { $0.loadBalancer == balancer.name && $0.host.subnet == subnet.name } ?? []
            let addresses = nodes.map { node in
                XMLNode.field("IpAddress", node.elasticIP?.address.description) + XMLNode.field("AllocationId", node.elasticIP?.allocationId)
                    + XMLNode.field("PrivateIPv4Address", balancer.scheme == .internal ? node.host.address.address.description : nil)
            }.filter { !$0.isEmpty }
            return [XMLNode.text("ZoneName", subnet.az), .text("SubnetId", identity.subnetId(subnet.name))]
                + (addresses.isEmpty ? [] : [XMLNode.members("LoadBalancerAddresses", addresses)])
        }
        let created: Date
        do { created = try creationTimes.created("loadbalancer/\(balancer.name)") } catch {
            throw .internalFailure("cannot record when load balancer \(balancer.name) was created: \(error)")
        }
        return [
            .text("LoadBalancerArn", identity.loadBalancerArn(balancer.name, type: balancer.type)),
            .text("DNSName", identity.dnsName(balancer)),
            .text("CanonicalHostedZoneId", AWSIdentity.canonicalHostedZoneId(balancer.type)),
            .text("CreatedTime", Self.timestamp(created)),
            .text("LoadBalancerName", balancer.name),
            .text("Scheme", balancer.scheme.rawValue),
            .text("VpcId", identity.vpcId(vpc)),
            .element("State", [.text("Code", state(of: balancer))]),
            .text("Type", balancer.type.rawValue),
            XMLNode.members("AvailabilityZones", zones),
            .text("IpAddressType", "ipv4"),
            // An ALB created without groups is in its VPC's default group, as on AWS; an NLB has none.
            .members("SecurityGroups", texts: (balancer.securityGroups.isEmpty && balancer.type == .application
                ? [StateFile.SecurityGroup.defaultName] : balancer.securityGroups).map { identity.securityGroupId($0, vpc: vpc) }),
        ] + XMLNode.field("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", balancer.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic?.rawValue)
    }

    /// `active` once every node holds its datapath (NLB) or serves its configuration (ALB);
    /// `provisioning` before.
    private func state(of balancer: StateFile.LoadBalancer) -> String {
        guard let report else { return "provisioning" }
        let ready: Bool = switch balancer.type {
        case .network:
            report.networkLoadBalancerNodes.filter { $0.loadBalancer == balancer.name }.ready { $0.state == "in sync" }
        case .application where balancer.listeners.isEmpty:
            // No listener, no proxy to run: the nodes are ready once their links are up.
            report.hosts.filter { $0.kind == "node of \(balancer.name)" }.ready { $0.state == "up" }
        case .application:
            report.applicationLoadBalancers.nodes.filter { $0.loadBalancer == balancer.name }
                .ready { $0.process == "running" && $0.configuration == "loaded" }
        }
        return ready ? "active" : "provisioning"
    }

    func listenerShape(_ listener: StateFile.Listener, of balancer: StateFile.LoadBalancer) throws(APIError) -> [XMLNode] {
        let actions = ELBv2RuleShapes(identity: identity).actions(listener.defaultActions)
        return [
            .text("ListenerArn", identity.listenerArn(balancer, listener)),
            .text("LoadBalancerArn", identity.loadBalancerArn(balancer.name, type: balancer.type)),
            .text("Port", String(listener.port)),
            .text("Protocol", listener.protocol.rawValue),
            XMLNode.members("DefaultActions", actions),
        ] + (listener.protocol.terminatesTLS ? [
            .members("Certificates", listener.certificates.prefix(1).map { [.text("CertificateArn", identity.certificateArn($0))] }),
            .text("SslPolicy", listener.sslPolicy ?? SSLPolicy.defaultName),
        ] : []) + (listener.protocol == .tls ? [
            .members("AlpnPolicy", texts: [listener.alpnPolicy ?? ALPNPolicy.none.rawValue]),
        ] : [])
    }

    func targetGroupShape(_ group: StateFile.TargetGroup) throws(APIError) -> [XMLNode] {
        let settings = HealthCheckTargets.settings(of: group)
        let http = settings.protocol != .tcp
        let balancerArns = balancers.filter { users(of: group.name).contains($0.name) }.map { identity.loadBalancerArn($0.name, type: $0.type) }
        return [
            .text("TargetGroupArn", identity.targetGroupArn(group.name)),
            .text("TargetGroupName", group.name),
            .text("Protocol", group.protocol.rawValue),
            .text("Port", String(group.port)),
            .text("VpcId", identity.vpcId(group.vpc)),
            .text("HealthCheckProtocol", settings.protocol.rawValue),
            .text("HealthCheckPort", settings.port.description),
            .text("HealthCheckEnabled", "true"),
            .text("HealthCheckIntervalSeconds", String(settings.intervalSeconds)),
            .text("HealthCheckTimeoutSeconds", String(settings.timeoutSeconds)),
            .text("HealthyThresholdCount", String(settings.healthyThreshold)),
            .text("UnhealthyThresholdCount", String(settings.unhealthyThreshold)),
        ] + (http ? [.text("HealthCheckPath", settings.path), .element("Matcher", [.text("HttpCode", settings.matcher.description)])] : [])
            + [.members("LoadBalancerArns", texts: balancerArns), .text("TargetType", group.targetType.rawValue)]
            + (group.protocol.loadBalancerType == .application ? [.text("ProtocolVersion", group.protocolVersion ?? "HTTP1")] : [])
            + [.text("IpAddressType", "ipv4")]
    }

    /// A target's health across the nodes that check it: `unhealthy` if one finds it so, else
    /// `initial` while one has not decided, else `healthy`; draining wins over all.
    private func health(of target: StateFile.Target, port: Int, in group: StateFile.TargetGroup) -> (state: String, reason: String?) {
        guard let report, let model else { return ("unavailable", "Elb.InternalError") }
        var seen: [(String, String?)] = []
        if group.targetType == .alb {
            let addresses = (try? model.applicationLoadBalancerNodes())?.filter { $0.loadBalancer == target.id }
                .map { "\($0.host.address.address):\(port)" } ?? []
            for node in report.networkLoadBalancerNodes {
                for listener in node.listeners {
                    for row in listener.targets where addresses.contains(row.address) { seen.append((row.state, row.reason)) }
                }
            }
        } else if group.protocol.loadBalancerType == .application {
            seen = report.applicationLoadBalancers.targets.filter { $0.targetGroup == group.name && $0.target == target.id }
                .map { ($0.state, $0.reason) }
        } else {
            let address = group.targetType == .ip ? target.id : model.topology.host(named: target.id)?.address.address.description
            for node in report.networkLoadBalancerNodes {
                for listener in node.listeners {
                    for row in listener.targets where row.address == "\(address ?? ""):\(port)" { seen.append((row.state, row.reason)) }
                }
            }
        }
        if seen.isEmpty { return ("unused", "Target.NotInUse") }
        for state in ["draining", "unhealthy", "initial"] {
            if let found = seen.first(where: { $0.0 == state }) { return found }
        }
        return seen.first { $0.0 == "healthy" }.map { ($0.0, nil) } ?? seen[0]
    }

    private func targetId(_ target: StateFile.Target, in group: StateFile.TargetGroup) throws(APIError) -> String {
        switch group.targetType {
        case .instance: identity.instanceId(target.id)
        case .ip: target.id
        case .alb: try balancers.first { $0.name == target.id }.map { b throws(APIError) in identity.loadBalancerArn(b.name, type: b.type) } ?? target.id
        }
    }

    /// The names of the load balancers whose listeners or rules forward to `group`.
    private func users(of group: String) -> [String] {
        balancers.filter { balancer in
            balancer.listeners.contains { listener in
                (listener.defaultActions + listener.rules.flatMap(\.actions)).contains { $0.forwardTargets.contains { $0.targetGroupName == group } }
            }
        }.map(\.name)
    }

    /// The objects named in `names` or `arns` (all of them when neither is given), in the order
    /// asked; one that is not there is `notFound`.
    private static func select<T>(_ all: [T], names: [String], arns: [String], name: (T) -> String,
                                  byArn: (String) throws(APIError) -> T, notFound: (String) -> APIError) throws(APIError) -> [T] {
        if !arns.isEmpty { return try arns.map { arn throws(APIError) in try byArn(arn) } }
        guard !names.isEmpty else { return all }
        return try names.map { wanted throws(APIError) in
            guard let found = all.first(where: { name($0) == wanted }) else { throw notFound(wanted) }
            return found
        }
    }

    /// ARNs are looked up as the calls that change things look them up.
    private var names: APINames { APINames(identity: identity, file: file ?? StateFile(), model: model) }

    private func loadBalancer(arn: String) throws(APIError) -> StateFile.LoadBalancer { balancers[try names.loadBalancer(arn: arn)] }

    private func targetGroup(arn: String) throws(APIError) -> StateFile.TargetGroup { groups[try names.targetGroup(arn: arn)] }

    /// AWS's words for a reason code.
    static func describe(_ reason: String) -> String {
        switch reason {
        case "Elb.InitialHealthChecking": "Initial health checks in progress"
        case "Target.Timeout": "Request timed out"
        case "Target.ResponseCodeMismatch": "Health checks failed with these codes"
        case "Target.FailedHealthChecks": "Health checks failed"
        case "Target.DeregistrationInProgress": "Target deregistration is in progress"
        case "Target.NotInUse": "Target group is not configured to receive traffic from the load balancer"
        case "Target.NotRegistered": "Target is not registered to the target group"
        default: reason
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

private extension Array {
    /// Whether there are nodes (a load balancer whose nodes the kernel does not have yet is not
    /// ready) and every one is ready.
    func ready(_ isReady: (Element) -> Bool) -> Bool { !isEmpty && allSatisfy(isReady) }
}
