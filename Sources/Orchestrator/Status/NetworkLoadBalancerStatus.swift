import Health
import Kernel

/// One NLB node in `lbnet status`: where it is, its addresses, its datapath and, per listener,
/// the targets it sends to with their weights (0 while draining).
public struct NetworkLoadBalancerNodeRow: Codable, Sendable, Equatable {
    public let loadBalancer: String
    public let node: String
    public let availabilityZone: String
    public let privateAddress: String
    public let elasticIP: String?
    public let allocationId: String?
    public let datapath: String
    /// `in sync` when the kernel holds exactly the wanted state, else what differs.
    public let state: String
    public let listeners: [Listener]
    /// The node's terminator (its `lbnet proxy`), when the node has terminated
    /// listeners: `running, loaded` (its process, then whether it serves its configuration file).
    public var terminator: String?

    /// A listener of the node and its targets.
    public struct Listener: Codable, Sendable, Equatable {
        public let `protocol`: String
        public let port: Int
        /// The target group it forwards to; `nil` for a listener the file no longer has, whose
        /// targets drain.
        public let targetGroup: String?
        public let targets: [Target]

        public init(protocol: String, port: Int, targetGroup: String? = nil, targets: [Target]) {
            self.protocol = `protocol`
            self.port = port
            self.targetGroup = targetGroup
            self.targets = targets
        }
    }

    /// A target with its weight in the node's datapath and its health as the node's checks
    /// see it: `state` as `DescribeTargetHealth` names it (`initial`, `healthy`, `unhealthy`,
    /// `draining`), with AWS's reason code when there is one.
    public struct Target: Codable, Sendable, Equatable {
        public let address: String
        public let weight: Int
        public let state: String
        public let reason: String?

        public init(address: String, weight: Int, state: String, reason: String? = nil) {
            self.address = address
            self.weight = weight
            self.state = state
            self.reason = reason
        }

        /// `unhealthy (Target.Timeout)`: the state with its reason.
        public var health: String { reason.map { "\(state) (\($0))" } ?? state }
    }
}

extension Deployment {
    /// `supervised`: the processes the daemon supervises (`supervisorUp`: one that is not
    /// running will be restarted), of which the nodes' terminators.
    func networkLoadBalancerRows(_ planned: DeploymentPlan, health: HealthRecord, supervised: [String: SupervisedProcess],
                                 supervisorUp: Bool) -> [NetworkLoadBalancerNodeRow] {
        let (model, fabric) = (planned.model, planned.fabric)
        let terminated = Set(fabric.proxyConfigurations.map(\.node))
        return model.networkLoadBalancerNodes.compactMap { node in
            guard let spec = fabric.nodeDatapaths.first(where: { $0.node == node.name }) else { return nil }
            let pending = planned.changes.contains { change in
                switch change {
                case .nftables(let step): step.namespace == spec.namespace
                case .ipvs(let step): step.namespace == spec.namespace
                default: false
                }
            }
            var row = NetworkLoadBalancerNodeRow(
                loadBalancer: node.loadBalancer, node: node.name, availabilityZone: node.availabilityZone,
                privateAddress: node.host.address.address.description, elasticIP: node.elasticIP?.address.description,
                allocationId: node.elasticIP?.allocationId, datapath: spec.datapath.rawValue,
                state: !NetworkNamespace.exists(spec.namespace) ? "missing" : (pending ? "out of sync (run up)" : "in sync"),
                listeners: spec.listeners.map { listener in
                    let wanted = node.listeners.first { $0.port == Int(listener.port) }
                    let shown = wanted?.protocol == .tls ? "TLS" : listener.protocol.rawValue.uppercased()
                    return .init(protocol: shown, port: Int(listener.port),
                                 targetGroup: wanted?.targetGroup, targets: listener.backends.map { backend in
                        let key = "\(backend.address):\(backend.port)"
                        let draining = !(wanted?.backends.contains { $0.key == key } ?? false)
                        if draining { return .init(address: key, weight: Int(backend.weight), state: "draining", reason: "Target.DeregistrationInProgress") }
                        let checked = health.nodes[node.name]?[key]
                        guard let checked, checked.state != .initial else {
                            return .init(address: key, weight: Int(backend.weight), state: "initial", reason: "Elb.InitialHealthChecking")
                        }
                        return .init(address: key, weight: Int(backend.weight), state: checked.state.rawValue, reason: checked.reason?.rawValue)
                    })
                })
            if terminated.contains(node.name) {
                row.terminator = proxyState(node: node.name, supervised: supervised, supervisorUp: supervisorUp).summary
            }
            return row
        }
    }
}

extension Deployment {
    /// `healthy`, `unhealthy (Target.Timeout)`, `initial` (not checked yet, or not enough checks).
    static func describe(_ health: TargetHealth?) -> String {
        guard let health, health.state != .initial else { return "initial" }
        return health.reason.map { "\(health.state.rawValue) (\($0.rawValue))" } ?? health.state.rawValue
    }
}

extension StatusReport {
    func renderNetworkLoadBalancers() -> String {
        var table = TextTable(["NLB", "NODE", "AZ", "PRIVATE", "ELASTIC IP", "DATAPATH", "STATE", "LISTENER", "TARGETS (WEIGHT, HEALTH)"])
        let terminators = networkLoadBalancerNodes.filter { $0.terminator != nil }
        for node in networkLoadBalancerNodes {
            let elastic = node.elasticIP.map { "\($0) (\(node.allocationId ?? ""))" } ?? "-"
            let listeners = node.listeners.isEmpty ? [nil] : node.listeners.map(Optional.some)
            for (index, listener) in listeners.enumerated() {
                let targets = listener?.targets.map { "\($0.address) (\($0.weight), \($0.health))" }
                    .joined(separator: ", ") ?? "-"
                let lead = index == 0
                    ? [node.loadBalancer, node.node, node.availabilityZone, node.privateAddress, elastic, node.datapath, node.state]
                    : Array(repeating: "", count: 7)
                table.add(lead + [listener.map { "\($0.protocol):\($0.port)" } ?? "-", targets.isEmpty ? "none" : targets])
            }
        }
        guard !terminators.isEmpty else { return table.render() }
        var terminatorTable = TextTable(["NLB", "NODE", "TERMINATOR"])
        terminators.forEach { terminatorTable.add([$0.loadBalancer, $0.node, $0.terminator ?? "-"]) }
        return table.render() + "\n" + terminatorTable.render()
    }
}
