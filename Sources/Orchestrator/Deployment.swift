import Foundation
import Kernel

/// The entry point of the control plane for one state directory: plan, up, down and status of
/// the topology it records. Every operation holds the directory's lock.
public struct Deployment {
    public let directory: StateDirectory
    public let naming: Naming
    public let executable: String

    public init(directory: StateDirectory, prefix: String = Naming.defaultPrefix, executable: String) {
        self.directory = directory
        naming = Naming(prefix: prefix)
        self.executable = executable
    }

    var supervisor: SupervisorControl { SupervisorControl(directory: directory, executable: executable) }
    public var appliedStatePath: String { "\(directory.path)/applied.yaml" }

    /// What AWS would warn about in `source` (a valid file; invalid ones fail in `plan`/`up`).
    public func warnings(_ source: StateSource) throws -> [String] {
        (try? StateFileLoader.parse(try source.text(), source: source.name))?.warnings() ?? []
    }

    /// The changes `up` would make for `source`, without making them: the same plan `up`
    /// carries out.
    public func plan(_ source: StateSource) throws -> [Change] {
        try directory.withLock { try makePlan(source).changes }
    }

    /// Makes the kernel match `source` by carrying out its plan, reporting each change before
    /// it is made; returns the changes (empty when nothing differed).
    @discardableResult
    public func up(_ source: StateSource, report: (Change) -> Void = { _ in }) throws -> [Change] {
        try directory.withLock {
            let planned = try makePlan(source)
            var record = planned.record
            planned.changes.forEach(report)
            if record.namespaces.isEmpty { try directory.saveRecord(record) }
            try directory.saveElasticIPs(planned.model.elasticIPs)
            try directory.saveDraining(planned.draining)
            try PlanApplier(session: planned.session, directory: directory, supervisor: supervisor)
                .apply(planned.changes, fabric: planned.fabric, record: &record)
            try AtomicFile.write(Data(planned.model.text.utf8), to: appliedStatePath)
            return planned.changes
        }
    }

    /// Stops every process and removes every namespace lbnet recorded, then its files.
    /// Returns the namespaces it removed.
    @discardableResult
    public func down() throws -> [String] {
        try directory.withLock {
            let record = try directory.loadRecord()
            supervisor.stop()
            let session = KernelSession()
            var removed: [String] = []
            for name in (record?.namespaces ?? []).sorted() {
                if NetworkNamespace.exists(name) || FileManager.default.fileExists(atPath: NetworkNamespace.path(name)) {
                    try NamespaceTeardown.remove(name, session: session)
                    removed.append(name)
                }
            }
            unlink(appliedStatePath)
            ProxyConfigurationStore(stateDirectory: directory).removeAll()
            directory.removeAll()
            return removed
        }
    }

    /// The model last applied by `up`, if any.
    public func appliedModel() throws -> DeploymentModel? {
        guard let text = try? String(contentsOfFile: appliedStatePath, encoding: .utf8) else { return nil }
        return try DeploymentModel.resolve(text, source: appliedStatePath, record: directory.loadElasticIPs())
    }

    /// The topology last applied by `up`, if any.
    public func appliedTopology() throws -> Topology? { try appliedModel()?.topology }

    /// The namespace of host `name` (an instance, a load balancer node, or `internet`) in the
    /// applied topology.
    public func namespace(ofHost name: String) throws -> String {
        if name == Naming.internetHost { return naming.internetNamespace }
        guard let topology = try appliedTopology() else { throw DeploymentError.nothingApplied(directory.path) }
        guard topology.hosts.contains(where: { $0.name == name }) else {
            throw DeploymentError.unknownHost(name, known: [Naming.internetHost] + topology.hosts.map(\.name))
        }
        return naming.hostNamespace(name)
    }

    /// Resolves `source` and builds the fabric it needs, with the backends that drain since the
    /// last applied model (and those still draining from before).
    func prepare(_ source: StateSource) throws -> (model: DeploymentModel, fabric: FabricSpec, draining: [DrainingBackend]) {
        let previous = try? appliedModel()
        let model = try DeploymentModel.resolve(try source.text(), source: source.name, record: directory.loadElasticIPs(),
                                                previous: previous?.file)
        let draining = DrainTracker.update(previous: previous, next: model, draining: try directory.loadDraining(),
                                           now: Date().timeIntervalSince1970)
        let fabric = try fabric(for: model, draining: draining, health: try directory.loadHealth(),
                                ipvsAvailable: IPVSAvailability.kernelHasIPVS)
        return (model, fabric, draining)
    }

    /// What the kernel must hold for `model`, with targets out of rotation by `health` and
    /// `draining`, on a kernel with or without IPVS. Pure.
    public func fabric(for model: DeploymentModel, draining: [DrainingBackend], health: HealthRecord,
                       ipvsAvailable: Bool) throws -> FabricSpec {
        if !ipvsAvailable, let node = model.networkLoadBalancerNodes.first(where: { $0.datapath == .ipvs }) {
            throw DeploymentError.ipvsUnavailable(loadBalancer: node.loadBalancer)
        }
        let builder = FabricBuilder(naming: naming, executable: executable)
        var fabric = builder.build(model.topology, elasticIPs: model.elasticIPsByVPC)
        builder.addLoadBalancers(model.networkLoadBalancerNodes, draining: draining, health: health,
                                 ipvsAvailable: ipvsAvailable, to: &fabric)
        if !model.networkLoadBalancerNodes.isEmpty {
            fabric.processes.append(ProcessSpec(name: Controller.processName, namespace: nil, arguments: [
                executable, "controller", "--state-dir", directory.path, "--prefix", naming.prefix]))
        }
        try addApplicationLoadBalancers(model, to: &fabric)
        return fabric
    }

    /// Observes the kernel once and plans once: the plan `plan` prints and `up` carries out.
    func makePlan(_ source: StateSource) throws -> DeploymentPlan {
        let (model, fabric, draining) = try prepare(source)
        let record = try currentRecord()
        let session = KernelSession()
        let names = Set(fabric.namespaces.map(\.name)).union(record.namespaces)
        let snapshot = try KernelObserver(session: session).observe(
            names, desired: fabric, processes: supervisor.runningProcesses(),
            proxyConfigurations: ProxyConfigurationStore(stateDirectory: directory).storedConfigurations())
        let changes = try Planner.plan(desired: fabric, observed: snapshot, owned: record.namespaces)
        return DeploymentPlan(model: model, fabric: fabric, draining: draining, record: record, session: session, changes: changes)
    }

    func currentRecord() throws -> OwnershipRecord {
        guard let record = try directory.loadRecord() else { return OwnershipRecord(prefix: naming.prefix) }
        guard record.prefix == naming.prefix else {
            throw RecordError.prefixMismatch(path: directory.recordPath, recorded: record.prefix, requested: naming.prefix)
        }
        return record
    }
}

/// Where a topology comes from: a state file, or the embedded default.
public enum StateSource: Sendable {
    case file(String)
    case embeddedDefault

    public var name: String {
        switch self {
        case .file(let path): path
        case .embeddedDefault: "<default topology>"
        }
    }

    func text() throws -> String {
        switch self {
        case .file(let path):
            do {
                return try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw DeploymentError.unreadableStateFile(path, String(describing: error))
            }
        case .embeddedDefault:
            return StateFileLoader.defaultTopologyYAML
        }
    }
}

/// Errors of the deployment as a whole (as opposed to one object of the state file).
public enum DeploymentError: Error, CustomStringConvertible {
    case nothingApplied(String)
    case unknownHost(String, known: [String])
    case unreadableStateFile(String, String)
    case hostNameTaken(String, loadBalancer: String)
    case ipvsUnavailable(loadBalancer: String)

    public var description: String {
        switch self {
        case .nothingApplied(let path): "no topology is up for state directory \(path): run 'lbnet up' first"
        case .unknownHost(let name, let known): "no host named '\(name)'; hosts: \(known.joined(separator: ", "))"
        case .unreadableStateFile(let path, let reason): "cannot read state file \(path): \(reason)"
        case .hostNameTaken(let name, let loadBalancer):
            "loadBalancers: node '\(name)' of '\(loadBalancer)' has the name of another host; rename one of them"
        case .ipvsUnavailable(let loadBalancer):
            "loadBalancers: '\(loadBalancer)' asks for datapath: ipvs, but this kernel has no IPVS (load it with 'modprobe ip_vs', or use datapath: auto or nftables)"
        }
    }
}
