import L7Proxy

extension DeploymentModel {
    /// The nodes of the model's application load balancers with their proxy configurations.
    public func applicationLoadBalancerNodes() throws -> [ApplicationLoadBalancerNode] {
        try ApplicationLoadBalancerPlacement.nodes(file: file, topology: topology)
    }
}

extension Deployment {
    /// Where this deployment keeps its ALB node configurations.
    public var proxyConfigurations: ProxyConfigurationStore { ProxyConfigurationStore(stateDirectory: directory) }

    /// Adds each ALB node's configuration file (with the directory of its access logs under the
    /// state directory, when they are on) and its `lbnet proxy` process, in the node's
    /// namespace, with its control socket (throws when the state directory makes its path too
    /// long for a Unix socket). HTTPS listeners' certificates go into the file (mode 0600),
    /// issued by the state directory's CA when the state file asks for it.
    func addApplicationLoadBalancers(_ model: DeploymentModel, to fabric: inout FabricSpec) throws {
        let store = proxyConfigurations
        let nodes = try model.applicationLoadBalancerNodes()
        let certificates = try CertificateStore(directory: directory).proxyCertificates(
            named: nodes.flatMap { $0.configuration.listeners.flatMap(\.certificates) }, in: model.file)
        for node in nodes {
            let path = store.configurationPath(node: node.name)
            let socket = store.controlSocketPath(node: node.name)
            try ProxyControlSocketPath.validate(socket)
            var configuration = node.configuration
            if let location = node.accessLogLocation {
                configuration.accessLog = AccessLogConfiguration(directory: directory.accessLogPath(location),
                                                                 nodeAddress: node.host.address.address.description)
            }
            let named = Set(configuration.listeners.flatMap(\.certificates))
            configuration.certificates = certificates.filter { named.contains($0.name) }
            fabric.proxyConfigurations.append(try ProxyConfigurationSpec(node: node.name, path: path, configuration: configuration))
            fabric.processes.append(ProcessSpec(name: node.name, namespace: naming.hostNamespace(node.name),
                                                arguments: [executable, "proxy", "--config", path, "--control", socket]))
        }
    }
}
