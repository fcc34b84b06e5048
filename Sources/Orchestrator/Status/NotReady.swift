/// One object of the topology that is not ready yet, with its state and why: what
/// `lbnet up --wait` prints when it times out.
public struct NotReady: Codable, Sendable, Equatable, CustomStringConvertible {
    /// What it is, e.g. `target 10.0.1.10:8080 of web-instances (node web-alb-local-1a)`.
    public let object: String
    public let state: String
    public let reason: String?

    public init(object: String, state: String, reason: String? = nil) {
        self.object = object
        self.state = state
        self.reason = reason
    }

    public var description: String { "\(object): \(state)" + (reason.map { " (\($0))" } ?? "") }
}

extension StatusReport {
    /// What keeps the topology from being ready: every VPC and subnet available, every host's
    /// link up, every load balancer active (NLB nodes in sync with their datapath, ALB nodes'
    /// proxies running and serving their current configuration) and every target out of
    /// `initial`. Endpoints pending acceptance are a state of their own, not unreadiness.
    public var notReady: [NotReady] {
        var waiting: [NotReady] = []
        for vpc in vpcs where vpc.state != "available" { waiting.append(.init(object: "VPC \(vpc.name)", state: vpc.state)) }
        for subnet in subnets where subnet.state != "available" {
            waiting.append(.init(object: "subnet \(subnet.name)", state: subnet.state))
        }
        for host in hosts where host.state != "up" { waiting.append(.init(object: "host \(host.name)", state: host.state)) }
        for node in networkLoadBalancerNodes {
            if node.state != "in sync" {
                waiting.append(.init(object: "NLB node \(node.node) of \(node.loadBalancer)", state: node.state))
            }
            for listener in node.listeners {
                for target in listener.targets where target.state == "initial" {
                    waiting.append(.init(object: "target \(target.address) of \(node.node) \(listener.protocol):\(listener.port)",
                                         state: target.state, reason: target.reason))
                }
            }
        }
        for node in applicationLoadBalancers.nodes {
            if node.process != "running" {
                waiting.append(.init(object: "ALB node \(node.node) of \(node.loadBalancer)", state: "process \(node.process)"))
            } else if node.configuration != "loaded" {
                waiting.append(.init(object: "ALB node \(node.node) of \(node.loadBalancer)", state: "configuration \(node.configuration)"))
            }
        }
        for target in applicationLoadBalancers.targets where target.state == "initial" || target.state == "unknown" {
            waiting.append(.init(object: "target \(target.target) (\(target.address)) of \(target.targetGroup) (node \(target.node))",
                                 state: target.state, reason: target.reason ?? target.description))
        }
        for endpoint in privateLink.endpoints where endpoint.kernel != "in sync" {
            waiting.append(.init(object: "endpoint interface \(endpoint.interface)", state: endpoint.kernel))
        }
        return waiting
    }
}
