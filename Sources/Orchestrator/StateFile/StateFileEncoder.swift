import Kernel
import Yams

/// Writes a ``StateFile`` as the YAML the decoder reads, keys in the documented order and
/// optional keys only when set: what `lbnet export` prints and what the daemon records when the
/// AWS API changes the desired state. Decoding the text gives back an equal `StateFile`.
public enum StateFileEncoder {
    public static func yaml(_ file: StateFile) throws -> String {
        var root: [(String, Node)] = []
        if file.elasticIpPool != StateFile.defaultElasticIpPool { root.append(("elasticIpPool", text(file.elasticIpPool.description))) }
        root += list("vpcs", file.vpcs, vpc)
        root += list("instances", file.instances, instance)
        root += list("elasticIps", file.elasticIps) { mapping([("name", text($0.name))] + optional("address", $0.address?.description)) }
        root += list("loadBalancers", file.loadBalancers, loadBalancer)
        root += list("targetGroups", file.targetGroups, targetGroup)
        root += list("endpointServices", file.endpointServices, endpointService)
        root += list("vpcEndpoints", file.vpcEndpoints, vpcEndpoint)
        root += list("certificates", file.certificates, certificate)
        root += list("securityGroups", file.securityGroups, securityGroup)
        guard !root.isEmpty else { return "{}\n" }
        return try Yams.serialize(node: mapping(root), indent: 2, width: -1, sortKeys: false)
    }

    // MARK: Objects

    static func vpc(_ vpc: StateFile.VPC) -> Node {
        mapping([("name", text(vpc.name)), ("cidr", text(vpc.cidr.description))] + list("subnets", vpc.subnets) {
            mapping([("name", text($0.name)), ("az", text($0.az)), ("cidr", text($0.cidr.description))])
        })
    }

    static func instance(_ instance: StateFile.Instance) -> Node {
        mapping([("name", text(instance.name)), ("subnet", text(instance.subnet))] + optional("address", instance.address?.description)
            + (instance.run.map { [("run", sequence($0.map(text)))] } ?? [])
            + (instance.port == StateFile.Instance.defaultPort ? [] : [("port", number(instance.port))])
            + (instance.tls ? [("tls", boolean(true))] : [])
            + optional("imageId", instance.imageId) + optional("instanceType", instance.instanceType)
            + optional("cpuCredits", instance.cpuCredits)
            + (instance.userData.map { [("userData", Node($0, Tag(.str), $0.contains("\n") ? .literal : .doubleQuoted))] } ?? [])
            + (instance.disableApiTermination ? [("disableApiTermination", boolean(true))] : [])
            + (instance.disableApiStop ? [("disableApiStop", boolean(true))] : [])
            + optional("clientToken", instance.clientToken) + names("securityGroups", instance.securityGroups))
    }

    static func loadBalancer(_ balancer: StateFile.LoadBalancer) -> Node {
        var fields: [(String, Node)] = [("name", text(balancer.name)), ("type", text(balancer.type.rawValue)),
                                        ("scheme", text(balancer.scheme.rawValue))]
        fields += names("subnets", balancer.subnets)
        fields += list("subnetMappings", balancer.subnetMappings) { mapping in
            Self.mapping([("subnetId", text(mapping.subnetId))] + optional("allocationId", mapping.allocationId)
                + optional("privateIPv4Address", mapping.privateIPv4Address?.description))
        }
        fields += names("securityGroups", balancer.securityGroups)
        fields += optional("enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
                           balancer.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic?.rawValue)
        fields += optional("datapath", balancer.datapath?.rawValue) + optional("scheduler", balancer.scheduler?.rawValue)
        fields += attributes(balancer.attributes)
        fields += list("listeners", balancer.listeners) { listener in
            mapping([("protocol", text(listener.protocol.rawValue)), ("port", number(listener.port))]
                + optional("sslPolicy", listener.sslPolicy)
                + list("certificates", listener.certificates, text)
                + optional("alpnPolicy", listener.alpnPolicy)
                + [("defaultActions", sequence(listener.defaultActions.map(action)))]
                + list("rules", listener.rules, rule) + attributes(listener.attributes) + optional("id", listener.id))
        }
        return mapping(fields)
    }

    static func rule(_ rule: StateFile.ListenerRule) -> Node {
        mapping([
            ("priority", number(rule.priority)),
            ("conditions", sequence(rule.conditions.map { condition in
                let values = condition.field == .queryString
                    ? sequence(condition.queryStringValues.map { mapping(optional("key", $0.key) + [("value", text($0.value))]) })
                    : sequence(condition.values.map(text))
                return mapping([("field", text(condition.field.rawValue))] + optional("httpHeaderName", condition.httpHeaderName)
                    + [("values", values)])
            })),
            ("actions", sequence(rule.actions.map(action))),
        ] + optional("id", rule.id))
    }

    static func action(_ action: StateFile.Action) -> Node {
        var fields: [(String, Node)] = [("type", text(action.type.rawValue))] + optional("targetGroupName", action.targetGroupName)
        if let forward = action.forwardConfig {
            fields.append(("forwardConfig", mapping([("targetGroups", sequence(forward.targetGroups.map {
                mapping([("targetGroupName", text($0.targetGroupName)), ("weight", number($0.weight))])
            }))] + (forward.targetGroupStickinessConfig.map { stickiness in
                [("targetGroupStickinessConfig", mapping([("enabled", boolean(stickiness.enabled))]
                    + (stickiness.durationSeconds.map { [("durationSeconds", number($0))] } ?? [])))]
            } ?? []))))
        }
        if let redirect = action.redirectConfig {
            fields.append(("redirectConfig", mapping(optional("protocol", redirect.protocol) + optional("host", redirect.host)
                + optional("port", redirect.port) + optional("path", redirect.path) + optional("query", redirect.query)
                + [("statusCode", text(redirect.statusCode.rawValue))])))
        }
        if let fixed = action.fixedResponseConfig {
            fields.append(("fixedResponseConfig", mapping([("statusCode", text(fixed.statusCode))] + optional("contentType", fixed.contentType)
                + optional("messageBody", fixed.messageBody))))
        }
        return mapping(fields)
    }

    static func targetGroup(_ group: StateFile.TargetGroup) -> Node {
        var fields: [(String, Node)] = [("name", text(group.name)), ("targetType", text(group.targetType.rawValue)),
                                        ("protocol", text(group.protocol.rawValue)), ("port", number(group.port)), ("vpc", text(group.vpc))]
            + optional("protocolVersion", group.protocolVersion)
        if let check = group.healthCheck {
            fields.append(("healthCheck", mapping(optional("protocol", check.protocol?.rawValue) + optional("port", check.port?.description)
                + optional("path", check.path) + optionalNumber("intervalSeconds", check.intervalSeconds)
                + optionalNumber("timeoutSeconds", check.timeoutSeconds) + optionalNumber("healthyThresholdCount", check.healthyThresholdCount)
                + optionalNumber("unhealthyThresholdCount", check.unhealthyThresholdCount) + optional("matcher", check.matcher?.description))))
        }
        fields += attributes(group.attributes)
        fields += list("targets", group.targets) { mapping([("id", text($0.id))] + optionalNumber("port", $0.port)) }
        return mapping(fields)
    }

    static func endpointService(_ service: StateFile.EndpointService) -> Node {
        mapping([("name", text(service.name)), ("networkLoadBalancers", sequence(service.networkLoadBalancers.map(text))),
                 ("acceptanceRequired", boolean(service.acceptanceRequired)),
                 ("allowedPrincipals", sequence(service.allowedPrincipals.map(text)))]
            + names("acceptedEndpoints", service.acceptedEndpoints))
    }

    static func vpcEndpoint(_ endpoint: StateFile.VPCEndpoint) -> Node {
        mapping([("name", text(endpoint.name)), ("vpcEndpointType", text(endpoint.vpcEndpointType.rawValue)),
                 ("serviceName", text(endpoint.serviceName)), ("vpc", text(endpoint.vpc)),
                 ("subnets", sequence(endpoint.subnets.map(text)))] + optional("principal", endpoint.principal)
            + names("securityGroups", endpoint.securityGroups))
    }

    static func securityGroup(_ group: StateFile.SecurityGroup) -> Node {
        func rules(_ rules: [StateFile.SecurityGroupRule], peerKey: String) -> Node {
            sequence(rules.map { rule in
                let peer: (String, Node) = switch rule.peer {
                case .cidr(let network): ("cidrIp", text(network.description))
                case .securityGroup(let name): (peerKey, text(name))
                }
                return mapping([("ipProtocol", text(rule.ipProtocol))] + optionalNumber("fromPort", rule.fromPort)
                    + optionalNumber("toPort", rule.toPort) + [peer] + optional("description", rule.description))
            })
        }
        return mapping([("name", text(group.name)), ("vpc", text(group.vpc))] + optional("groupName", group.groupName)
            + optional("description", group.description)
            + (group.ingress.isEmpty ? [] : [("ingress", rules(group.ingress, peerKey: "sourceSecurityGroup"))])
            + (group.egress.map { [("egress", rules($0, peerKey: "destinationSecurityGroup"))] } ?? []))
    }

    // MARK: Nodes

    static func certificate(_ certificate: StateFile.Certificate) -> Node {
        mapping([("name", text(certificate.name))] + list("domainNames", certificate.domainNames, text)
            + optional("certificateFile", certificate.certificateFile) + optional("privateKeyFile", certificate.privateKeyFile)
            + optional("chainFile", certificate.chainFile))
    }

    /// A list of names under `key`, left out when empty.
    static func names(_ key: String, _ names: [String]) -> [(String, Node)] {
        names.isEmpty ? [] : [(key, sequence(names.map(text)))]
    }

    static func attributes(_ attributes: [String: String]) -> [(String, Node)] {
        attributes.isEmpty ? [] : [("attributes", mapping(attributes.sorted { $0.key < $1.key }.map { ($0.key, quoted($0.value)) }))]
    }

    static func list<T>(_ key: String, _ items: [T], _ node: (T) -> Node) -> [(String, Node)] {
        items.isEmpty ? [] : [(key, sequence(items.map(node)))]
    }

    static func optional(_ key: String, _ value: String?) -> [(String, Node)] { value.map { [(key, text($0))] } ?? [] }
    static func optionalNumber(_ key: String, _ value: Int?) -> [(String, Node)] { value.map { [(key, number($0))] } ?? [] }

    static func mapping(_ fields: [(String, Node)]) -> Node { Node(fields.map { (Node($0.0), $0.1) }) }
    static func sequence(_ items: [Node]) -> Node { Node(items) }
    static func number(_ value: Int) -> Node { Node(String(value), Tag(.int)) }
    static func boolean(_ value: Bool) -> Node { Node(value ? "true" : "false", Tag(.bool)) }
    static func quoted(_ value: String) -> Node { Node(value, Tag(.str), .doubleQuoted) }

    /// A string, plain where YAML reads it back as the same string, quoted elsewhere.
    static func text(_ value: String) -> Node {
        let plain = value.first.map { $0.isLetter || $0.isNumber || $0 == "/" } == true
            && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._/:-".contains($0)) }
            && !(value.first!.isNumber && value.contains(":"))  // YAML 1.1 reads 1:30 as a number
            && Int(value) == nil && Double(value) == nil && !value.lowercased().hasPrefix("0x") && !value.lowercased().hasPrefix("0o")
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n", ".inf", ".nan"].contains(value.lowercased())
        return plain ? Node(value, Tag(.str), .plain) : quoted(value)
    }
}
