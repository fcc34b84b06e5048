import Kernel

/// Diffs the desired fabric with what the kernel holds and returns the changes, in dependency
/// order: the one plan `lbnet plan` prints and `lbnet up` carries out. Pure: the same inputs
/// give the same plan, and an up-to-date kernel gives none.
public enum Planner {
    /// - Parameter owned: namespaces lbnet recorded as its own; those no longer desired are deleted.
    public static func plan(desired: FabricSpec, observed: KernelSnapshot, owned: Set<String>) throws -> [Change] {
        var changes: [Change] = []
        let desiredNames = Set(desired.namespaces.map(\.name))

        for spec in desired.processes {
            guard let running = observed.processes[spec.name] else {
                changes.append(.startProcess(spec))
                continue
            }
            // A process whose namespace is gone (deleted behind lbnet's back) runs in an orphaned
            // network stack: it starts again in the namespace this plan makes.
            let namespaceGone = spec.namespace.map { observed.namespaces[$0] == nil } ?? false
            if running != spec || namespaceGone { changes.append(.restartProcess(spec)) }
        }
        let desiredProcesses = Set(desired.processes.map(\.name))
        for (name, running) in observed.processes.sorted(by: { $0.key < $1.key }) where !desiredProcesses.contains(name) {
            changes.append(.stopProcess(running))
        }

        for name in owned.subtracting(desiredNames).sorted() where observed.namespaces[name] != nil {
            changes.append(.deleteNamespace(name))
        }

        let recreated = recreatedLinks(desired: desired, observed: observed)
        for spec in desired.namespaces {
            let state = observed.namespaces[spec.name]
            if state == nil { changes.append(.createNamespace(spec.name)) }
            let fresh = recreated[spec.name] ?? []
            changes += linkChanges(spec, state ?? NamespaceState(), fresh: fresh)
            let addresses = addressChanges(spec, state ?? NamespaceState(), fresh: fresh)
            changes += addresses
            // A deleted address takes the routes through it along: they are all added again.
            let readdressed = addresses.contains { if case .deleteAddress = $0 { true } else { false } }
            changes += routeChanges(spec, state ?? NamespaceState(), replanAll: !fresh.isEmpty || readdressed)
            changes += ruleChanges(spec, state ?? NamespaceState())
            for (key, value) in spec.sysctls.sorted(by: { $0.key < $1.key }) where state?.sysctls[key] != value {
                changes.append(.setSysctl(namespace: spec.name, key: key, value: value))
            }
        }
        changes += try nftablesChanges(desired: desired, observed: observed)
        changes += ipvsChanges(desired: desired, observed: observed)
        changes += proxyConfigurationChanges(desired: desired, observed: observed)
        return changes.enumerated().sorted { ($0.element.phase, $0.offset) < ($1.element.phase, $1.offset) }.map(\.element)
    }

    /// Links that will be created or created again, by namespace: missing ones, ones of the
    /// wrong kind, and both ends of every veth pair that is not intact. A recreated link comes
    /// back without addresses or routes, so those are planned again too.
    static func recreatedLinks(desired: FabricSpec, observed: KernelSnapshot) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for spec in desired.namespaces {
            let state = observed.namespaces[spec.name]
            for link in spec.links {
                let existing = state?.link(named: link.name)
                switch link.kind {
                case .loopback, .vethPeer:
                    continue
                case .bridge:
                    if existing?.kind != "bridge" { result[spec.name, default: []].insert(link.name) }
                case .veth(let peerNamespace, let peerName):
                    let peer = observed.namespaces[peerNamespace]?.link(named: peerName)
                    let intact = existing?.kind == "veth" && existing?.peerInOtherNamespace == true && peer?.kind == "veth"
                    if !intact {
                        result[spec.name, default: []].insert(link.name)
                        result[peerNamespace, default: []].insert(peerName)
                    }
                }
            }
        }
        return result
    }

    private static func linkChanges(_ spec: NamespaceSpec, _ state: NamespaceState, fresh: Set<String>) -> [Change] {
        var changes: [Change] = []
        let ns = spec.name
        for link in spec.links {
            let existing = state.link(named: link.name)
            let recreate = fresh.contains(link.name)
            switch link.kind {
            case .loopback, .vethPeer:
                break
            case .bridge:
                if recreate {
                    if existing != nil { changes.append(.deleteLink(namespace: ns, name: link.name)) }
                    changes.append(.createBridge(namespace: ns, name: link.name))
                }
            case .veth(let peerNamespace, let peerName):
                if recreate {
                    if existing != nil { changes.append(.deleteLink(namespace: ns, name: link.name)) }
                    changes.append(.createVeth(namespace: ns, name: link.name, peerNamespace: peerNamespace, peerName: peerName))
                }
            }
            if case .vethPeer = link.kind, recreate, existing != nil {
                changes.append(.deleteLink(namespace: ns, name: link.name))
            }
            let master = existing?.masterIndex.flatMap { state.link(index: $0)?.name }
            if recreate || existing?.isUp != true || master != link.master {
                changes.append(.setLink(namespace: ns, name: link.name, up: true, master: link.master))
            }
        }
        let wanted = Set(spec.links.map(\.name))
        for link in state.links where !wanted.contains(link.name) && link.name != "lo" {
            changes.append(.deleteLink(namespace: ns, name: link.name))
        }
        return changes
    }

    /// Addresses on links that go (and are recreated) go with them: they are never deleted alone.
    private static func addressChanges(_ spec: NamespaceSpec, _ state: NamespaceState, fresh: Set<String>) -> [Change] {
        let have = state.addressSpecs.filter { !fresh.contains($0.interface) }
        let want = Set(spec.addresses)
        let links = Set(spec.links.map(\.name))
        var changes: [Change] = have.subtracting(want).filter { links.contains($0.interface) }.sorted(by: { $0.description < $1.description })
            .map { .deleteAddress(namespace: spec.name, $0) }
        changes += spec.addresses.filter { !have.contains($0) }.map { .addAddress(namespace: spec.name, $0) }
        return changes
    }

    /// Routes are added with replace semantics, so planning one again after a link is recreated
    /// is safe even if the kernel kept it.
    private static func routeChanges(_ spec: NamespaceSpec, _ state: NamespaceState, replanAll: Bool) -> [Change] {
        let have = replanAll ? [] : state.staticRouteSpecs
        let want = Set(spec.routes)
        var changes: [Change] = state.staticRouteSpecs.subtracting(want).sorted(by: { $0.description < $1.description })
            .map { .deleteRoute(namespace: spec.name, $0) }
        changes += spec.routes.filter { !have.contains($0) }.map { .addRoute(namespace: spec.name, $0) }
        return changes
    }

    private static func ruleChanges(_ spec: NamespaceSpec, _ state: NamespaceState) -> [Change] {
        let have = Set(state.rules)
        let want = Set(spec.rules)
        return have.subtracting(want).sorted(by: { $0.description < $1.description }).map { .deleteRule(namespace: spec.name, $0) }
            + spec.rules.filter { !have.contains($0) }.map { .addRule(namespace: spec.name, $0) }
    }
}
