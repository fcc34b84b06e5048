extension StateFileValidator {
    typealias Catalog = NetworkAttributeCatalog

    /// The attributes of network load balancers, their listeners and their target groups
    /// (``NetworkAttributeCatalog``): names AWS knows for them, values AWS accepts, combinations
    /// AWS forbids (in AWS's words), and values lbnet does not implement (named). Listeners of
    /// application load balancers take no attributes in lbnet.
    mutating func validateNetworkAttributes() {
        for (position, balancer) in file.loadBalancers.enumerated() {
            let path = Self.path("loadBalancers", position)
            for (listenerPosition, listener) in balancer.listeners.enumerated() {
                let listenerPath = path.key("listeners").index(listenerPosition).key("attributes")
                guard balancer.type == .network else {
                    for key in listener.attributes.keys.sorted() {
                        report("lbnet does not implement \(key) (listener attributes of application load balancers)",
                               at: listenerPath.key(key))
                    }
                    continue
                }
                checkListenerAttributes(listener, at: listenerPath)
            }
            guard balancer.type == .network else { continue }
            checkOneIdleTimeout(of: balancer, at: path)
            checkAttributes(balancer.attributes, .loadBalancer, Catalog.Context(scheme: balancer.scheme),
                            at: path.key("attributes"))
        }
        for (position, group) in file.targetGroups.enumerated() where group.targetType != .alb && group.protocol.isNetwork {
            let path = Self.path("targetGroups", position).key("attributes")
            let reported = checkTargetGroupCombinations(group, at: path)
            checkAttributes(group.attributes, .targetGroup,
                            Catalog.Context(protocol: group.protocol, targetType: group.targetType), at: path, reported: reported)
        }
    }

    /// Each node holds one TCP idle timeout (a conntrack or IPVS setting of its namespace), so the
    /// TCP listeners of one load balancer must agree (TLS listeners have AWS's fixed 350 s).
    private mutating func checkOneIdleTimeout(of balancer: StateFile.LoadBalancer, at path: FieldPath) {
        let timeouts = balancer.listeners.enumerated().filter { $0.element.protocol != .udp }.map {
            (position: $0.offset, port: $0.element.port,
             seconds: ($0.element.protocol == .tls ? nil : $0.element.attributes[Catalog.idleTimeout])
                ?? "\(NetworkLoadBalancerNode.defaultTCPIdleTimeout)")
        }
        guard let first = timeouts.first else { return }
        for other in timeouts.dropFirst() where other.seconds != first.seconds {
            report("lbnet does not implement different \(Catalog.idleTimeout) on the listeners of one load balancer "
                   + "(port \(first.port): \(first.seconds), port \(other.port): \(other.seconds)); each node holds one "
                   + "TCP idle timeout", at: path.key("listeners").index(other.position).key("attributes").key(Catalog.idleTimeout))
        }
    }

    private mutating func checkListenerAttributes(_ listener: StateFile.Listener, at path: FieldPath) {
        // AWS: a TLS listener's idle timeout is 350 seconds and can't be modified.
        let fixedTimeout = listener.protocol == .udp || listener.protocol == .tls
        if fixedTimeout, listener.attributes[Catalog.idleTimeout] != nil {
            report("Listener attribute key '\(Catalog.idleTimeout)' is not supported on \(listener.protocol.rawValue) listeners",
                   at: path.key(Catalog.idleTimeout))
        }
        checkAttributes(listener.attributes.filter { !fixedTimeout || $0.key != Catalog.idleTimeout },
                        .listener, Catalog.Context(protocol: listener.protocol), at: path)
    }

    /// Names, values and lbnet's support, one issue per attribute at most; `reported` keys were
    /// already refused in AWS's words.
    mutating func checkAttributes(_ attributes: [String: String], _ scope: Catalog.Scope, _ context: Catalog.Context,
                                          at path: FieldPath, reported: Set<String> = []) {
        checkAttributes(attributes, scope, context, of: Catalog.self, otherType: ApplicationAttributeCatalog.self, at: path,
                        reported: reported)
    }

    /// Names, values and lbnet's support of `catalog`'s attributes, one issue per attribute at
    /// most: keys of the other load balancer type (`otherType`'s only) and unknown keys are
    /// refused in AWS's words, as are values AWS does not accept; `defaultOnly` ones take their default.
    mutating func checkAttributes<Own: AttributeCatalog, Other: AttributeCatalog>(
        _ attributes: [String: String], _ scope: Catalog.Scope, _ context: Catalog.Context, of catalog: Own.Type,
        otherType: Other.Type, at path: FieldPath, reported: Set<String>
    ) {
        let type = Own.loadBalancerType
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) where !reported.contains(key) {
            guard let attribute = Own.attribute(key, in: scope) else {
                if Other.attribute(key, in: scope) != nil {
                    report(scope == .targetGroup
                           ? "Target group attribute key '\(key)' is not supported for target groups with the "
                             + "\(context.protocol.rawValue) protocol"
                           : "Load balancer attribute key '\(key)' is not supported on load balancers with type '\(type)'",
                           at: path.key(key))
                } else {
                    report("\(scope.rawValue) attribute key '\(key)' is not recognized", at: path.key(key))
                }
                continue
            }
            guard attribute.support != .accessLogRules else { continue }
            guard attribute.support != .lambdaTargetsOnly else {
                report("Target group attribute key '\(key)' is supported only for target groups of type lambda "
                       + "(lbnet has none)", at: path.key(key))
                continue
            }
            guard Catalog.accepts(attribute.values, value) else {
                report("'\(value)' is not a valid value for \(key): expected \(Catalog.describe(attribute.values))",
                       at: path.key(key))
                continue
            }
            let byDefault = attribute.defaultValue(context)
            if attribute.support == .defaultOnly, value != byDefault {
                report("lbnet does not implement \(key) (only \(byDefault), what lbnet does, is accepted)", at: path.key(key))
            }
        }
    }

    /// Reports `message` at `path.key(key)` and notes `key` as reported (combination checks
    /// return the keys they reported, so the per-key checks skip them).
    mutating func report(_ message: String, key: String, under path: FieldPath, noting reported: inout Set<String>) {
        reported.insert(key)
        report(message, at: path.key(key))
    }

    /// The values AWS refuses for a target group's protocol, in AWS's words and with its error
    /// code (which the API answers); returns the keys reported.
    private mutating func checkTargetGroupCombinations(_ group: StateFile.TargetGroup, at path: FieldPath) -> Set<String> {
        var reported: Set<String> = []
        func report(_ message: String, _ key: String) { self.report(message, key: key, under: path, noting: &reported) }
        let attributes = group.attributes
        let isUDP = group.protocol == .udp || group.protocol == .tcpUDP
        if isUDP, attributes[Catalog.preserveClientIP] == "false" {
            report("InvalidConfigurationRequest: \(Catalog.preserveClientIP) cannot be false if the target group protocol is UDP or TCP_UDP",
                   Catalog.preserveClientIP)
        }
        if isUDP, attributes[Catalog.proxyProtocol] == "true" {
            report("InvalidConfigurationRequest: \(Catalog.proxyProtocol) cannot be true if the target group protocol is UDP or TCP_UDP",
                   Catalog.proxyProtocol)
        }
        if isUDP, attributes[Catalog.unhealthyTermination] == "true" {
            report("InvalidConfigurationRequest: \(Catalog.unhealthyTermination) cannot be true if the target group protocol is UDP or TCP_UDP",
                   Catalog.unhealthyTermination)
        }
        let type = attributes[Catalog.stickinessType] ?? "source_ip"
        let stickyTLS = group.protocol == .tls && attributes[Catalog.stickinessEnabled] == "true"
        if ["lb_cookie", "app_cookie", "source_ip_dest_ip", "source_ip_dest_ip_proto"].contains(type) || (type == "source_ip" && stickyTLS) {
            report("InvalidConfigurationRequest: Stickiness type '\(type)' is not supported for target groups with the \(group.protocol.rawValue) protocol",
                   Catalog.stickinessType)
        }
        let termination = attributes[Catalog.unhealthyTermination] ?? (isUDP ? "false" : "true")
        if let interval = attributes[Catalog.unhealthyDrainingInterval], interval != "0", termination == "true" {
            report("InvalidConfigurationRequest: \(Catalog.unhealthyDrainingInterval) can only be set when \(Catalog.unhealthyTermination) is false",
                   Catalog.unhealthyDrainingInterval)
        }
        return reported
    }
}

extension StateFile.TrafficProtocol {
    /// TCP, UDP, TCP_UDP and TLS: the protocols of network load balancers and their target groups.
    var isNetwork: Bool { self != .http && self != .https }
}
