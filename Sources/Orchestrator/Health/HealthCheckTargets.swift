import Health
import L7Proxy

/// The NLB health checks of a model: from each NLB node to each backend of each of its
/// listeners (for an `alb` target group, the ALB's nodes, which answer from their own targets'
/// health), with the target group's settings over AWS's NLB defaults.
enum HealthCheckTargets {
    static func of(_ model: DeploymentModel?, naming: Naming) -> [HealthCheckTarget] {
        guard let model else { return [] }
        var targets: [HealthCheckTarget] = []
        for node in model.networkLoadBalancerNodes {
            for listener in node.listeners {
                guard let group = model.file.targetGroups.first(where: { $0.name == listener.targetGroup }) else { continue }
                let settings = settings(of: group)
                for backend in listener.backends where !targets.contains(where: { $0.node == node.name && $0.key == backend.key }) {
                    targets.append(HealthCheckTarget(node: node.name, namespace: naming.hostNamespace(node.name), key: backend.key,
                                                     address: backend.address, trafficPort: backend.port, settings: settings))
                }
            }
        }
        return targets
    }

    /// A target group's health check: what its file sets, AWS's defaults for its load balancer
    /// type (NLB or ALB) for the rest; with proxy protocol, each check starts with a `LOCAL`
    /// header, as AWS's do.
    static func settings(of group: StateFile.TargetGroup) -> HealthCheckSettings {
        let check = group.healthCheck
        let kind: HealthCheckProtocol = switch check?.protocol ?? StateFileValidator.defaultHealthCheckProtocol(for: group) {
        case .tcp: .tcp
        case .http: .http
        case .https: .https
        }
        var settings = HealthCheckSettings.defaults(for: group.protocol.loadBalancerType == .application ? .application : .network,
                                                    protocol: kind)
        if case .port(let number) = check?.port { settings.port = .port(number) }
        if let path = check?.path { settings.path = path }
        if let interval = check?.intervalSeconds { settings.intervalSeconds = interval }
        if let timeout = check?.timeoutSeconds { settings.timeoutSeconds = timeout }
        if let healthy = check?.healthyThresholdCount { settings.healthyThreshold = healthy }
        if let unhealthy = check?.unhealthyThresholdCount { settings.unhealthyThreshold = unhealthy }
        if let matcher = check?.matcher { settings.matcher = matcher }
        if group.attributes[NetworkAttributeCatalog.proxyProtocol] == "true" {
            settings.preamble = ProxyProtocolHeader(command: .local, transport: .unspecified, source: nil, destination: nil).encoded()
        }
        return settings
    }
}
