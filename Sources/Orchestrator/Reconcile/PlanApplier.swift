import CNetlink
import Foundation
import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// Carries out the kernel and file steps of a plan exactly as planned (process steps are the
/// supervisor's): phase by phase, one netlink batch per namespace and phase, recording
/// namespaces before creating them and forgetting them only after they are gone. The only
/// re-planning is for an nftables table whose ruleset moved on between the read and the
/// commit: that table is read and planned again.
public struct PlanApplier {
    let session: KernelSession
    let directory: StateDirectory

    public init(session: KernelSession, directory: StateDirectory) {
        self.session = session
        self.directory = directory
    }

    /// Applies `changes` phase by phase; after each phase, `progress` gets how many of the
    /// kernel and file steps are made so far.
    public func apply(_ changes: [Change], record: inout OwnershipRecord, progress: (Int) -> Void = { _ in }) throws {
        let store = ProxyConfigurationStore(stateDirectory: directory)
        var generations = NFTablesGenerations()
        let phases = Dictionary(grouping: changes, by: \.phase)
        var made = 0
        for phase in phases.keys.sorted() {
            let group = phases[phase]!
            defer {
                if !group[0].isProcessStep {
                    made += group.count
                    progress(made)
                }
            }
            switch group[0] {
            case .stopProcess, .startProcess, .restartProcess:
                continue
            case .deleteNamespace:
                for case .deleteNamespace(let name) in group {
                    try NamespaceTeardown.remove(name, session: session)
                }
                record.namespaces.subtract(group.compactMap { if case .deleteNamespace(let n) = $0 { n } else { nil } })
                try directory.saveRecord(record)
            case .createNamespace:
                record.namespaces.formUnion(group.compactMap { if case .createNamespace(let n) = $0 { n } else { nil } })
                try directory.saveRecord(record)
                for case .createNamespace(let name) in group where !NetworkNamespace.exists(name) {
                    try NetworkNamespace.create(name)
                }
            case .setSysctl:
                for case .setSysctl(let namespace, let key, let value) in group {
                    try Sysctl.write(key, value: value, in: namespace)
                }
            case .nftables, .ipvs:
                for change in group {
                    switch change {
                    case .nftables(let step): try commit(step, generations: &generations)
                    case .ipvs(let step):
                        do {
                            try session.ipvs(in: step.namespace).apply(step.changes)
                        } catch {
                            throw ApplyError.ipvsRefused(namespace: step.namespace, node: step.node, error)
                        }
                    default: continue
                    }
                }
            case .writeProxyConfiguration:
                try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: true)
                for case .writeProxyConfiguration(let write) in group {
                    // Root's alone: HTTPS listeners' private keys are in it.
                    try AtomicFile.write(write.data, to: write.path, mode: 0o600)
                }
            case .removeProxyConfiguration:
                for case .removeProxyConfiguration(let node) in group {
                    unlink(store.configurationPath(node: node))
                }
            default:
                try applyNetlink(group)
            }
        }
    }

    /// Commits one table's batch at the generation its table was read at (or the one our own
    /// previous commit in that namespace left); if something else changed the ruleset in
    /// between, reads the table again and plans it anew.
    private func commit(_ step: NFTablesStep, generations: inout NFTablesGenerations) throws {
        let client = NFTablesNetlink(socket: try session.netfilter(in: step.namespace))
        let basedOn = generations.expected(in: step.namespace, observed: step.generation)
        let committed: UInt32
        do {
            committed = try client.commit(step.batch, table: step.table, basedOn: basedOn)
        } catch {
            guard error.isGenerationMismatch else { throw error }
            committed = try client.reconcile(table: step.table, plan: step.replan).generation
        }
        generations.committed(committed, in: step.namespace)
    }

    /// One batch per namespace; interface names are resolved to indexes by a fresh link dump.
    private func applyNetlink(_ group: [Change]) throws {
        let byNamespace = Dictionary(grouping: group, by: \.namespace)
        for namespace in byNamespace.keys.compactMap({ $0 }).sorted() {
            let route = try session.route(in: namespace)
            let links = try route.links()
            var openFDs: [Int32] = []
            defer { openFDs.forEach { close($0) } }
            func index(_ name: String) throws -> Int32 {
                guard let link = links.first(where: { $0.name == name }) else {
                    throw ApplyError.missingLink(namespace: namespace, name: name)
                }
                return link.index
            }
            var requests: [NetlinkRequest] = []
            for change in byNamespace[namespace]! {
                switch change {
                case .deleteLink(_, let name):
                    guard let link = links.first(where: { $0.name == name }) else { continue }
                    requests.append(RouteMessages.deleteLink(index: link.index, name: name))
                case .createBridge(_, let name):
                    requests.append(RouteMessages.createBridge(name: name))
                case .createVeth(_, let name, let peerNamespace, let peerName):
                    let fd = try NetworkNamespace.open(peerNamespace)
                    openFDs.append(fd)
                    requests.append(RouteMessages.createVeth(name: name, peerName: peerName, peerNamespaceFD: fd, peerNamespace: peerNamespace))
                case .setLink(_, let name, let up, let master):
                    // No master releases the link from a bridge it may still be in (0).
                    requests.append(RouteMessages.setLink(index: try index(name), name: name, up: up,
                                                          master: try master.map(index) ?? 0))
                case .addAddress(_, let spec):
                    requests.append(RouteMessages.addAddress(spec.address, index: try index(spec.interface), interface: spec.interface,
                                                             noPrefixRoute: spec.noPrefixRoute))
                case .deleteAddress(_, let spec):
                    requests.append(RouteMessages.deleteAddress(spec.address, index: try index(spec.interface), interface: spec.interface))
                case .addRoute(_, let spec):
                    requests.append(RouteMessages.addRoute(try kernelRoute(spec, index: index)))
                case .deleteRoute(_, let spec):
                    // A route through a link that is gone (its namespace or peer deleted first) went with it.
                    if let device = spec.device, !links.contains(where: { $0.name == device }) { continue }
                    requests.append(RouteMessages.deleteRoute(try kernelRoute(spec, index: index)))
                case .addRule(_, let rule):
                    requests.append(RouteMessages.addRule(rule))
                case .deleteRule(_, let rule):
                    requests.append(RouteMessages.deleteRule(rule))
                default:
                    continue
                }
            }
            do {
                try route.apply(requests)
            } catch {
                throw ApplyError.kernelRefused(namespace: namespace, error)
            }
        }
    }

    private func kernelRoute(_ spec: RouteSpec, index: (String) throws -> Int32) throws -> Route {
        Route(destination: spec.destination, gateway: spec.gateway, outputInterfaceIndex: try spec.device.map(index),
              table: spec.table, gatewayOnLink: spec.gatewayOnLink, isLocal: spec.isLocal)
    }
}

/// Removes a namespace lbnet owns: every process still inside it first (a process would keep
/// the namespace and its links alive), then the mount.
enum NamespaceTeardown {
    /// How long a killed process is waited for (it cannot ignore SIGKILL; this only bounds a
    /// process stuck in the kernel).
    static let exitWaitMilliseconds: Int32 = 2000

    static func remove(_ name: String, session: KernelSession) throws {
        session.close(name)
        if let inode = NetworkNamespace.inode(name) {
            // pidfds first, so the wait is on these very processes even if a pid is reused.
            let pidfds = ProcessLauncher.processes(inNamespaceWithInode: inode).compactMap { pid -> Int32? in
                let fd = lbnet_pidfd_open(pid)
                kill(pid, SIGKILL)
                return fd >= 0 ? fd : nil
            }
            defer { pidfds.forEach { close($0) } }
            for fd in pidfds {
                var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                while poll(&entry, 1, exitWaitMilliseconds) < 0 && errno == EINTR {}
            }
        }
        try NetworkNamespace.delete(name)
    }
}

/// A change the kernel did not accept, with the namespace it was for.
public enum ApplyError: Error, CustomStringConvertible {
    case missingLink(namespace: String, name: String)
    case kernelRefused(namespace: String, NetlinkBatchError)
    case ipvsRefused(namespace: String, node: String, any Error)

    public var description: String {
        switch self {
        case .missingLink(let namespace, let name): "link \(name) does not exist in namespace \(namespace)"
        case .kernelRefused(let namespace, let error): "in namespace \(namespace): \(error)"
        case .ipvsRefused(let namespace, let node, let error): "IPVS services of \(node) in namespace \(namespace): \(error)"
        }
    }
}

extension Change {
    /// The namespace a netlink change is sent to.
    var namespace: String? {
        switch self {
        case .deleteLink(let ns, _), .createBridge(let ns, _), .createVeth(let ns, _, _, _), .setLink(let ns, _, _, _),
             .deleteAddress(let ns, _), .addAddress(let ns, _), .deleteRoute(let ns, _), .addRoute(let ns, _),
             .deleteRule(let ns, _), .addRule(let ns, _),
             .setSysctl(let ns, _, _):
            ns
        case .nftables(let step):
            step.namespace
        case .ipvs(let step):
            step.namespace
        case .createNamespace(let ns), .deleteNamespace(let ns):
            ns
        case .stopProcess(let p), .startProcess(let p), .restartProcess(let p):
            p.namespace
        case .writeProxyConfiguration, .removeProxyConfiguration:
            nil
        }
    }
}
