import Foundation
import Kernel

/// Reads, once, everything a plan is about: the links, addresses, routes, rules and sysctls of the
/// namespaces, the nftables tables and IPVS services lbnet owns in them, the processes that run
/// and the ALB node configuration files.
public struct KernelObserver {
    let session: KernelSession

    public init(session: KernelSession) { self.session = session }

    /// Reads of one namespace's tables are retried when the ruleset moves on between them, so
    /// every table of a namespace is seen at one generation.
    static let consistentReadAttempts = 5

    /// Snapshots every namespace in `names` that exists, reading the sysctls `desired` sets.
    public func observe(_ names: Set<String>, desired: FabricSpec, processes: [String: ProcessSpec],
                        proxyConfigurations: [String: Data]) throws -> KernelSnapshot {
        var snapshot = KernelSnapshot(processes: processes, proxyConfigurations: proxyConfigurations)
        let ipvsNamespaces = Set(desired.desiredIPVSTables.map(\.namespace))
        for name in names.sorted() where NetworkNamespace.exists(name) {
            let route = try session.route(in: name)
            var state = NamespaceState(links: try route.links(), addresses: try route.addresses(), routes: try route.routes())
            state.rules = try route.rules()
            for key in desired.namespace(name)?.sysctls.keys.sorted() ?? [] {
                state.sysctls[key] = try? Sysctl.read(key, in: name)
            }
            (state.nftables, state.nftablesGeneration) = try ownedTables(in: name)
            if ipvsNamespaces.contains(name) {
                state.ipvs = try session.ipvs(in: name).table()
                state.ipvsTCPTimeout = try session.ipvs(in: name).tcpTimeout()
            }
            snapshot.namespaces[name] = state
        }
        return snapshot
    }

    /// The tables of `OwnedNFTable.names` in `namespace`, all read at one ruleset generation.
    func ownedTables(in namespace: String) throws -> ([String: NFTTableState], UInt32?) {
        let client = NFTablesNetlink(socket: try session.netfilter(in: namespace))
        for _ in 1...Self.consistentReadAttempts {
            var tables: [String: NFTTableState] = [:]
            var generations: Set<UInt32> = []
            for name in OwnedNFTable.names {
                let snapshot = try client.readTable(name)
                generations.insert(snapshot.generation)
                tables[name] = snapshot.table
            }
            if generations.count == 1 { return (tables, generations.first) }
        }
        throw NFTablesError.concurrentChanges(table: OwnedNFTable.names.joined(separator: ", "), attempts: Self.consistentReadAttempts)
    }
}
