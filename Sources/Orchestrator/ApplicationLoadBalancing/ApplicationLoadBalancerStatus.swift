import Foundation
import Kernel
import L7Proxy

/// The ALB part of `lbnet status`: each node with its process and whether it serves its current
/// configuration file, each listener's rules in evaluation order, and each target as each node's
/// health checks see it (asked of each node's proxy over its control socket).
public struct ApplicationLoadBalancerStatus: Codable, Sendable, Equatable {
    /// One node: where it runs and what it serves.
    public struct Node: Codable, Sendable, Equatable {
        public let loadBalancer: String
        public let node: String
        public let availabilityZone: String
        public let namespace: String
        public let address: String
        public let process: String
        public let pid: Int32?
        /// `loaded`, `reloading`, `refused: REASON`, or `-` before the proxy reported.
        public let configuration: String
    }

    /// One rule of a listener; the default rule has priority `default`.
    public struct Rule: Codable, Sendable, Equatable {
        public let loadBalancer: String
        public let listener: String
        public let priority: String
        public let conditions: String
        public let action: String
    }

    /// One target as one node's health checks see it.
    public struct Target: Codable, Sendable, Equatable {
        public let node: String
        public let targetGroup: String
        public let target: String
        public let address: String
        public let availabilityZone: String
        public let state: String
        public let reason: String?
        public let description: String?
    }

    /// Where one load balancer's access logs go.
    public struct AccessLogs: Codable, Sendable, Equatable {
        public let loadBalancer: String
        /// `s3://BUCKET[/PREFIX]`; nil when access logs are off.
        public let bucket: String?
        /// The directory standing in for the bucket and prefix.
        public let directory: String?
    }

    public var nodes: [Node] = []
    public var rules: [Rule] = []
    public var targets: [Target] = []
    public var accessLogs: [AccessLogs] = []

    public init() {}
}

extension Deployment {
    /// The ALB rows of the applied topology, with process states from the supervisor's report
    /// (`supervisorUp`: a node that is not running will be restarted).
    func applicationLoadBalancerStatus(supervised: [String: SupervisedProcess], supervisorUp: Bool) throws -> ApplicationLoadBalancerStatus {
        guard let model = try appliedModel() else { return ApplicationLoadBalancerStatus() }
        var status = ApplicationLoadBalancerStatus()
        var described = Set<String>()
        for node in try model.applicationLoadBalancerNodes() {
            let proxy = proxyState(node: node.name, supervised: supervised, supervisorUp: supervisorUp)
            status.nodes.append(.init(
                loadBalancer: node.loadBalancer, node: node.name, availabilityZone: node.availabilityZone,
                namespace: naming.hostNamespace(node.name), address: node.host.address.description,
                process: proxy.process, pid: proxy.pid, configuration: proxy.configuration))
            if described.insert(node.loadBalancer).inserted {
                status.rules += ApplicationLoadBalancerRuleText.rows(loadBalancer: node.loadBalancer, node.configuration)
                status.accessLogs.append(.init(loadBalancer: node.loadBalancer, bucket: node.accessLogLocation?.description,
                                               directory: node.accessLogLocation.map(directory.accessLogPath)))
            }
            status.targets += targetRows(node: node, report: proxy.report)
        }
        return status
    }


    private func targetRows(node: ApplicationLoadBalancerNode, report: ProxyNodeReport?) -> [ApplicationLoadBalancerStatus.Target] {
        guard let report else {
            return node.configuration.targetGroups.flatMap { group in
                group.targets.map { target in
                    .init(node: node.name, targetGroup: group.name, target: target.id ?? target.address,
                          address: "\(target.address):\(target.port ?? group.port)", availabilityZone: target.availabilityZone,
                          state: "unknown", reason: nil, description: "the node's proxy has not reported")
                }
            }
        }
        return report.targets.map { target in
            .init(node: node.name, targetGroup: target.targetGroup, target: target.id, address: "\(target.address):\(target.port)",
                  availabilityZone: target.availabilityZone, state: target.state.rawValue, reason: target.reason?.rawValue,
                  description: target.description)
        }
    }
}

extension ApplicationLoadBalancerStatus {
    /// Four tables: nodes, rules, target health, access logs.
    func renderedTables() -> [String] {
        var nodeTable = TextTable(["ALB", "NODE", "AZ", "NAMESPACE", "ADDRESS", "PROCESS", "CONFIG"])
        nodes.forEach {
            nodeTable.add([$0.loadBalancer, $0.node, $0.availabilityZone, $0.namespace, $0.address,
                           $0.pid.map { "running (pid \($0))" } ?? $0.process, $0.configuration])
        }
        var ruleTable = TextTable(["ALB", "LISTENER", "PRIORITY", "CONDITIONS", "ACTION"])
        rules.forEach { ruleTable.add([$0.loadBalancer, $0.listener, $0.priority, $0.conditions, $0.action]) }
        var targetTable = TextTable(["NODE", "TARGET GROUP", "TARGET", "ADDRESS", "AZ", "STATE", "REASON"])
        targets.forEach {
            let reason = [$0.reason, $0.description.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
            targetTable.add([$0.node, $0.targetGroup, $0.target, $0.address, $0.availabilityZone, $0.state,
                             reason.isEmpty ? "-" : reason])
        }
        var accessLogTable = TextTable(["ALB", "ACCESS LOGS", "DIRECTORY"])
        accessLogs.forEach { accessLogTable.add([$0.loadBalancer, $0.bucket ?? "disabled", $0.directory ?? "-"]) }
        return [nodeTable.render(), ruleTable.render(), targetTable.render(), accessLogTable.render()]
    }
}
