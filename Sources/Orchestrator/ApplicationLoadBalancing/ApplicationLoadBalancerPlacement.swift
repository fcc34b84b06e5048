import L7Proxy

/// Turns each application load balancer of a state file into its nodes: one per host the
/// placement gave it (`LB-AZ`), each with the proxy configuration built from the load
/// balancer's HTTP listeners and the target groups they forward to.
public enum ApplicationLoadBalancerPlacement {
    /// The nodes of every application load balancer that has at least one HTTP listener, in file
    /// order. `topology` must already hold the load balancer node hosts.
    public static func nodes(file: StateFile, topology: Topology) throws -> [ApplicationLoadBalancerNode] {
        var nodes: [ApplicationLoadBalancerNode] = []
        for balancer in file.loadBalancers where balancer.type == .application {
            let builder = try ProxyConfigurationBuilder(balancer: balancer, file: file, topology: topology)
            guard builder.servesTraffic else { continue }
            for host in topology.hosts where host.kind == .loadBalancerNode(loadBalancer: balancer.name) {
                let configuration = builder.configuration(for: host)
                do {
                    try configuration.validate()
                } catch {
                    throw ApplicationLoadBalancerConfigError.invalidNodeConfiguration(node: host.name, reason: error.description)
                }
                nodes.append(ApplicationLoadBalancerNode(loadBalancer: balancer.name, host: host, configuration: configuration,
                                                         accessLogLocation: builder.accessLogLocation))
            }
        }
        return nodes
    }
}
