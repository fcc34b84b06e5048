import Yams

/// Turns a composed YAML document into a `StateFile`, collecting every structural issue on the way:
/// unknown or missing keys, wrong types, malformed addresses and unknown enum values.
///
/// It also records the line of every value it reads, so that later checks can point into the file.
final class StateFileDecoder {
    private var collector: IssueCollector

    init(source: String) {
        collector = IssueCollector(source: source)
    }

    var issues: [StateFileIssue] { collector.issuesInFileOrder }
    var lines: SourceLines { collector.lines }

    func report(_ message: String, at path: FieldPath) {
        collector.report(message, at: path)
    }

    func record(_ node: Node, at path: FieldPath) {
        if let line = node.mark?.line {
            collector.lines.record(line, for: path)
        }
    }

    /// The state file in `root`; `nil` (with issues) when the document is not a valid state file.
    func decode(_ root: Node?) -> StateFile? {
        guard let root, !root.isNull else { return StateFile() }
        let keys = [
            "elasticIpPool", "vpcs", "instances", "elasticIps", "loadBalancers", "targetGroups",
            "endpointServices", "vpcEndpoints", "certificates", "securityGroups",
        ]
        guard let fields = fields(of: root, at: .root, keys: keys) else { return nil }
        let file = StateFile(
            elasticIpPool: optional(fields, "elasticIpPool", network) ?? StateFile.defaultElasticIpPool,
            vpcs: optionalList(fields, "vpcs", vpc),
            instances: optionalList(fields, "instances", instance),
            elasticIps: optionalList(fields, "elasticIps", elasticIP),
            loadBalancers: optionalList(fields, "loadBalancers", loadBalancer),
            targetGroups: optionalList(fields, "targetGroups", targetGroup),
            endpointServices: optionalList(fields, "endpointServices", endpointService),
            vpcEndpoints: optionalList(fields, "vpcEndpoints", vpcEndpoint),
            certificates: optionalList(fields, "certificates", certificate),
            securityGroups: optionalList(fields, "securityGroups", securityGroup)
        )
        return collector.issues.isEmpty ? file : nil
    }
}
