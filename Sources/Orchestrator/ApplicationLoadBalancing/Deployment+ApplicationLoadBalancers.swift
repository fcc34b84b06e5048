extension DeploymentModel {
    /// The nodes of the model's application load balancers with their proxy configurations.
    public func applicationLoadBalancerNodes() throws -> [ApplicationLoadBalancerNode] {
        try ApplicationLoadBalancerPlacement.nodes(file: file, topology: topology)
    }
}

extension Deployment {
    /// Where this deployment keeps its ALB node configurations.
    public var proxyConfigurations: ProxyConfigurationStore { ProxyConfigurationStore(stateDirectory: directory) }

    /// Adds each ALB node's configuration file and its `lbnet proxy` process, in the node's namespace.
    func addApplicationLoadBalancers(_ model: DeploymentModel, to fabric: inout FabricSpec) throws {
        for node in try model.applicationLoadBalancerNodes() {
            let path = proxyConfigurations.configurationPath(node: node.name)
            fabric.proxyConfigurations.append(try ProxyConfigurationSpec(node: node.name, path: path, configuration: node.configuration))
            fabric.processes.append(ProcessSpec(name: node.name, namespace: naming.hostNamespace(node.name),
                                                arguments: [executable, "proxy", "--config", path]))
        }
    }
}
