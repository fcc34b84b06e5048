import Foundation
import Kernel

/// The entry point of the control plane for one state directory: plan, up, down and status of
/// the topology it records. `up` and `plan` go through the directory's daemon (see `Runtime`);
/// kernel work holds the directory's lock.
public struct Deployment: Sendable {
    public let directory: StateDirectory
    public let naming: Naming
    public let executable: String
    /// Where a daemon that `up` starts serves its metrics (`--metrics-listen`); `nil`: its default.
    public var metricsListen: MetricsListenAddress?

    public init(directory: StateDirectory, prefix: String = Naming.defaultPrefix, executable: String) {
        self.directory = directory
        naming = Naming(prefix: prefix)
        self.executable = executable
    }

    public var appliedStatePath: String { "\(directory.path)/applied.yaml" }
    public var daemon: DaemonClient { DaemonClient(socketPath: directory.daemonSocketPath) }

    /// What AWS would warn about in `source` (a valid file; invalid ones fail in `plan`/`up`).
    public func warnings(_ source: StateSource) throws -> [String] {
        (try? StateFileLoader.parse(try source.text(), source: source.name))?.warnings() ?? []
    }

    /// The changes `up` would make for `source`, without making them: the same plan `up`
    /// carries out. Asked of the daemon when one runs (it knows the processes and the target
    /// health); planned here, from the records, when none does.
    public func plan(_ source: StateSource, report: (String) -> Void) throws -> Int {
        let text = try source.text()
        if daemon.isReachable {
            return try finish(daemon.send(.plan(text: text, source: source.name)) { if case .change(let line) = $0 { report(line) } })
        }
        let changes = try directory.withLock {
            try makePlan(.text(text, name: source.name), processes: ProcessRecord.runningChildren(in: directory).mapValues(\.spec), health: HealthRecord())
        }.changes
        changes.forEach { report($0.description) }
        return changes.count
    }

    /// Makes the kernel match `source`: checks the file here (so a bad file changes nothing and
    /// is named at once), starts the daemon if none runs, and has it carry out the plan,
    /// reporting each step (`.change`) and then how many are made (`.progress`). A daemon it
    /// starts serves the AWS API as `api` says. Returns how many steps there were.
    @discardableResult
    public func up(_ source: StateSource, api: APIOptions, report: (DaemonReply) -> Void = { _ in }) throws -> Int {
        let text = try source.text()
        _ = try DeploymentModel.resolve(text, source: source.name, record: directory.loadElasticIPs(), previous: (try? appliedModel())?.file)
        try DaemonLauncher(deployment: self).ensureRunning(api: api)
        return try finish(daemon.send(.apply(text: text, source: source.name), onReply: report))
    }

    /// Waits until the topology is ready (see ``StatusReport/notReady``) or `timeout` passes.
    /// Returns what is still not ready: nothing when all is.
    public func waitUntilReady(timeout: Duration) throws -> [NotReady] {
        var waiting: [NotReady] = []
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        _ = try finish(daemon.send(.awaitReady(timeoutSeconds: seconds)) { if case .readiness(let left) = $0 { waiting = left } })
        return waiting
    }

    private func finish(_ reply: DaemonReply) throws -> Int {
        switch reply {
        case .done(let count): return count
        case .failed(let reason): throw DeploymentError.daemonFailed(reason)
        default: throw DeploymentError.daemonFailed("unexpected answer \(reply)")
        }
    }

    /// Records the plan's allocations and draining targets, then carries out its kernel and
    /// file steps (processes are the daemon's), telling `progress` how many are made after each
    /// phase, and records the model as applied.
    func apply(_ planned: DeploymentPlan, session: KernelSession, progress: (Int) -> Void = { _ in }) throws {
        var record = planned.record
        if record.namespaces.isEmpty { try directory.saveRecord(record) }
        try directory.saveElasticIPs(planned.model.elasticIPs)
        try directory.saveDraining(planned.draining)
        try PlanApplier(session: session, directory: directory).apply(planned.changes, record: &record, progress: progress)
        // Root-only: it holds the instances' user data.
        try AtomicFile.write(Data(planned.model.text.utf8), to: appliedStatePath, mode: 0o600)
    }

    /// Has every ALB node whose configuration file the plan wrote serve it, and waits for them.
    /// `isRunning` says whether a node's proxy process runs (the supervisor knows).
    func reloadProxies(_ planned: DeploymentPlan, isRunning: @escaping @Sendable (String) -> Bool) async throws {
        let written = planned.changes.compactMap { if case .writeProxyConfiguration(let write) = $0 { write } else { nil } }
        try await ProxyConfigurationRollout(store: proxyConfigurations, isRunning: isRunning).reload(written)
    }

    /// The namespaces the record names; when the record was edited or truncated by hand (it
    /// cannot be read), every namespace that carries this deployment's prefix, so `down` still
    /// removes all of lbnet's.
    private func ownedNamespaces() -> [String] {
        do {
            return (try directory.loadRecord()?.namespaces ?? []).sorted()
        } catch {
            return NetworkNamespace.list().filter { $0.hasPrefix("\(naming.prefix)-") }.sorted()
        }
    }

    /// Stops every process and removes every namespace lbnet recorded, then its files.
    /// Returns the namespaces it removed.
    @discardableResult
    public func down() throws -> [String] {
        try directory.withLock {
            let owned = ownedNamespaces()
            try DaemonLauncher(deployment: self).stop()
            let session = KernelSession()
            var removed: [String] = []
            for name in owned {
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
        guard let text = try? String(contentsOfFile: appliedStatePath, encoding: .utf8) else {
            if access(appliedStatePath, F_OK) == 0, access(appliedStatePath, R_OK) != 0 { throw DeploymentError.rootOnly(appliedStatePath) }
            return nil
        }
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
    func prepare(_ source: StateSource, health: HealthRecord) throws -> (model: DeploymentModel, fabric: FabricSpec, draining: [DrainingBackend]) {
        let previous = try? appliedModel()
        let model = try DeploymentModel.resolve(try source.text(), source: source.name, record: directory.loadElasticIPs(),
                                                previous: previous?.file)
        let draining = DrainTracker.update(previous: previous, next: model, draining: try directory.loadDraining(),
                                           now: Date().timeIntervalSince1970)
        let fabric = try fabric(for: model, draining: draining, health: health,
                                ipvsAvailable: IPVSAvailability.kernelHasIPVS)
        return (model, fabric, draining)
    }

    /// What the kernel must hold for `model`, with targets out of rotation by `health` and
    /// `draining`, on a kernel with or without IPVS. Pure but for the certificates it issues
    /// from the local CA (kept in the state directory, issued again only when they change).
    public func fabric(for model: DeploymentModel, draining: [DrainingBackend], health: HealthRecord,
                       ipvsAvailable: Bool) throws -> FabricSpec {
        if !ipvsAvailable, let node = model.networkLoadBalancerNodes.first(where: { $0.datapath == .ipvs }) {
            throw DeploymentError.ipvsUnavailable(loadBalancer: node.loadBalancer)
        }
        let certificates = CertificateStore(directory: directory)
        try certificates.issueInstanceCertificates(for: model.topology)
        let builder = FabricBuilder(naming: naming, executable: executable, certificates: certificates)
        var fabric = builder.build(model.topology, elasticIPs: model.elasticIPsByVPC)
        builder.addLoadBalancers(model.networkLoadBalancerNodes, draining: draining, health: health,
                                 ipvsAvailable: ipvsAvailable, to: &fabric)
        try addProxies(model, to: &fabric)
        fabric.securityGroups = SecurityGroupFilters(
            directory: SecurityGroupDirectory(file: model.file, interfaceEndpoints: model.interfaceEndpoints),
            topology: model.topology, naming: naming).interfaces()
        return fabric
    }

    /// Observes the kernel once and plans once: the plan `plan` prints and `up` carries out,
    /// with `processes` running and targets out of rotation by `health`.
    func makePlan(_ source: StateSource, processes: [String: ProcessSpec], health: HealthRecord,
                  session: KernelSession = KernelSession()) throws -> DeploymentPlan {
        let (model, fabric, draining) = try prepare(source, health: health)
        let record = try currentRecord()
        let names = Set(fabric.namespaces.map(\.name)).union(record.namespaces)
        let snapshot = try KernelObserver(session: session).observe(
            names, desired: fabric, processes: processes,
            proxyConfigurations: ProxyConfigurationStore(stateDirectory: directory).storedConfigurations())
        let changes = try Planner.plan(desired: fabric, observed: snapshot, owned: record.namespaces)
        return DeploymentPlan(model: model, fabric: fabric, draining: draining, record: record, changes: changes)
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
    /// Text a client sent, with the name it goes by in messages.
    case text(String, name: String)

    public var name: String {
        switch self {
        case .file(let path): path
        case .embeddedDefault: "<default topology>"
        case .text(_, let name): name
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
        case .text(let text, _):
            return text
        }
    }
}

/// Errors of the deployment as a whole (as opposed to one object of the state file).
public enum DeploymentError: Error, CustomStringConvertible {
    case nothingApplied(String)
    case unknownHost(String, known: [String])
    /// The host runs no process lbnet supervises, so it has no output.
    case noProcess(String, withProcess: [String])
    case unreadableStateFile(String, String)
    case hostNameTaken(String, loadBalancer: String)
    case ipvsUnavailable(loadBalancer: String)
    case daemonFailed(String)
    case noDaemonForStatus(String)
    /// The applied state, which holds the instances' user data, read by another user than root.
    case rootOnly(String)

    public var description: String {
        switch self {
        case .nothingApplied(let path): "no topology is up for state directory \(path): run 'lbnet up' first"
        case .rootOnly(let path): "\(path) is root's alone (it holds the instances' user data): run this with sudo"
        case .unknownHost(let name, let known): "no host named '\(name)'; hosts: \(known.joined(separator: ", "))"
        case .noProcess(let name, let hosts):
            "host '\(name)' runs no process, so it has no output; hosts with a process: \(hosts.joined(separator: ", "))"
        case .unreadableStateFile(let path, let reason): "cannot read state file \(path): \(reason)"
        case .hostNameTaken(let name, let loadBalancer):
            "loadBalancers: node '\(name)' of '\(loadBalancer)' has the name of another host; rename one of them"
        case .daemonFailed(let reason): reason
        case .noDaemonForStatus(let path):
            "no lbnet daemon runs for state directory \(path), so nothing is up to show ('sudo lbnet up' starts one; 'sudo lbnet status' reads the kernel directly)"
        case .ipvsUnavailable(let loadBalancer):
            "loadBalancers: '\(loadBalancer)' asks for datapath: ipvs, but this kernel has no IPVS (load it with 'modprobe ip_vs', on the host when lbnet runs in a container, or use datapath: auto or nftables)"
        }
    }
}
