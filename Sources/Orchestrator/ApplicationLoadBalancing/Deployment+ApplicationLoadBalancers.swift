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

    /// The `lbnet proxy` process of every ALB node, in the node's namespace.
    func applicationLoadBalancerProcesses(_ model: DeploymentModel) throws -> [ProcessSpec] {
        try model.applicationLoadBalancerNodes().map { node in
            ProcessSpec(name: node.name, namespace: naming.hostNamespace(node.name),
                        arguments: [executable, "proxy", "--config", proxyConfigurations.configurationPath(node: node.name)])
        }
    }
}
