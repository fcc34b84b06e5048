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

    /// The node configuration files `up` would create, rewrite or remove for `source`.
    public func planApplicationLoadBalancerConfigs(_ source: StateSource) throws -> [ApplicationLoadBalancerConfigChange] {
        try directory.withLock {
            try proxyConfigurations.plan(prepare(source).model.applicationLoadBalancerNodes()).changes
        }
    }

    /// The `lbnet proxy` process of every ALB node, in the node's namespace, with its control
    /// socket (throws when the state directory makes its path too long for a Unix socket).
    func applicationLoadBalancerProcesses(_ model: DeploymentModel) throws -> [ProcessSpec] {
        let store = proxyConfigurations
        return try model.applicationLoadBalancerNodes().map { node in
            let socket = store.controlSocketPath(node: node.name)
            try ProxyControlSocketPath.validate(socket)
            return ProcessSpec(name: node.name, namespace: naming.hostNamespace(node.name),
                               arguments: [executable, "proxy", "--config", store.configurationPath(node: node.name), "--control", socket])
        }
    }
}
