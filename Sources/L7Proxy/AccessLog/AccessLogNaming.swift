/// How access log lines name the load balancer (`elb`) and the target groups
/// (`target_group_arn`): by the ARNs of the node's configuration, else by the node's and the
/// groups' names.
struct AccessLogNaming: Sendable {
    let elb: String
    private let targetGroupARNs: [String: String]

    init(_ configuration: ProxyConfiguration) {
        elb = configuration.loadBalancerArn.flatMap(LoadBalancerARN.init)?.resourceID ?? "app/\(configuration.nodeName)"
        var arns: [String: String] = [:]
        for group in configuration.targetGroups {
            if let arn = group.arn { arns[group.name] = arn }
        }
        targetGroupARNs = arns
    }

    func targetGroupARN(_ name: String) -> String {
        targetGroupARNs[name] ?? name
    }
}
