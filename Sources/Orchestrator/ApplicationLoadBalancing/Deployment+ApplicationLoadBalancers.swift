import L7Proxy

extension DeploymentModel {
    /// The nodes of the model's application load balancers with their proxy configurations.
    public func applicationLoadBalancerNodes() throws -> [ApplicationLoadBalancerNode] {
        try ApplicationLoadBalancerPlacement.nodes(file: file, topology: topology)
    }

    /// The TLS terminator configuration of each NLB node whose load balancer has `TLS`
    /// listeners, by node (see ``NodeTerminator``); checked as the proxy checks it.
    public func terminators() throws -> [(node: NetworkLoadBalancerNode, configuration: ProxyConfiguration)] {
        try networkLoadBalancerNodes.compactMap { node -> (node: NetworkLoadBalancerNode, configuration: ProxyConfiguration)? in
            guard let configuration = NodeTerminator.configuration(for: node, in: file) else { return nil }
            do {
                try configuration.validate()
            } catch {
                throw ApplicationLoadBalancerConfigError.invalidNodeConfiguration(node: node.name, reason: String(describing: error))
            }
            return (node, configuration)
        }
    }
}

extension Deployment {
    /// Where this deployment keeps its proxies' configurations (ALB nodes, NLB nodes' TLS terminators).
    public var proxyConfigurations: ProxyConfigurationStore { ProxyConfigurationStore(stateDirectory: directory) }

    /// Adds the configuration file and the `lbnet proxy` process of each ALB node (with the
    /// directory of its access logs under the state directory, when they are on) and of each NLB
    /// node's TLS terminator, in the node's namespace, with its control socket (throws when the
    /// state directory makes its path too long for a Unix socket). Certificates go into the files
    /// (mode 0600), issued by the state directory's CA when the state file asks for it.
    func addProxies(_ model: DeploymentModel, to fabric: inout FabricSpec) throws {
        var proxies: [(node: String, configuration: ProxyConfiguration)] = try model.applicationLoadBalancerNodes().map { node in
            var configuration = node.configuration
            if let location = node.accessLogLocation {
                configuration.accessLog = AccessLogConfiguration(directory: directory.accessLogPath(location),
                                                                 nodeAddress: node.host.address.address.description)
            }
            return (node.name, configuration)
        }
        proxies += try model.terminators().map { ($0.node.name, $0.configuration) }
        let store = proxyConfigurations
        let certificates = try CertificateStore(directory: directory).proxyCertificates(
            named: proxies.flatMap { $0.configuration.listeners.flatMap(\.certificates) }, in: model.file)
        for (node, configuration) in proxies {
            let path = store.configurationPath(node: node)
            let socket = store.controlSocketPath(node: node)
            try ProxyControlSocketPath.validate(socket)
            var configuration = configuration
            let named = Set(configuration.listeners.flatMap(\.certificates))
            configuration.certificates = certificates.filter { named.contains($0.name) }
            fabric.proxyConfigurations.append(try ProxyConfigurationSpec(node: node, path: path, configuration: configuration))
            fabric.processes.append(ProcessSpec(name: node, namespace: naming.hostNamespace(node),
                                                arguments: [executable, "proxy", "--config", path, "--control", socket]))
        }
    }
}
