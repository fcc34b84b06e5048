import Kernel

/// Reads the kernel's state of the namespaces a plan is about.
public struct KernelObserver {
    let session: KernelSession

    public init(session: KernelSession) { self.session = session }

    /// Snapshots every namespace in `names` that exists, reading the sysctls `desired` sets.
    public func observe(_ names: Set<String>, desired: FabricSpec, processes: [String: ProcessSpec]) throws -> KernelSnapshot {
        var snapshot = KernelSnapshot(processes: processes)
        for name in names.sorted() where NetworkNamespace.exists(name) {
            let route = try session.route(in: name)
            var state = NamespaceState(links: try route.links(), addresses: try route.addresses(), routes: try route.routes())
            for key in desired.namespace(name)?.sysctls.keys.sorted() ?? [] {
                state.sysctls[key] = try? Sysctl.read(key, in: name)
            }
            snapshot.namespaces[name] = state
        }
        return snapshot
    }
}
