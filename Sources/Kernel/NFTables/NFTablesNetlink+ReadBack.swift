#if canImport(Glibc)
import Glibc
#endif

extension NFTablesNetlink {
    /// Table `name` with its chains, maps (with elements) and rules, as of one generation:
    /// read again if a batch committed while it was being read.
    public func readTable(_ name: String) throws(NFTablesError) -> NFTSnapshot {
        for _ in 1...Self.attempts {
            let before = try generation()
            let table: NFTTableState?
            do {
                table = try readTableOnce(name)
            } catch {
                if case .request(let failure) = error, failure.errno == EINTR { continue }
                throw error
            }
            if try generation() == before { return NFTSnapshot(generation: before, table: table) }
        }
        throw .concurrentChanges(table: name, attempts: Self.attempts)
    }

    private func readTableOnce(_ name: String) throws(NFTablesError) -> NFTTableState? {
        let tableRequest = NFTMessages.getTable(name)
        let tableReplies: [NetlinkMessage]
        do {
            tableReplies = try socket.request(tableRequest.request())
        } catch {
            if error.errno == ENOENT { return nil }
            throw .request(error)
        }
        guard let table = tableReplies.lazy.compactMap(NFTReadBack.table).first else {
            throw .unreadable("the answer to \(tableRequest.operation)")
        }
        let chains = try dump(NFTMessages.dumpChains(table: name), parse: NFTReadBack.chain)
            .filter { $0.table == name }.map(\.chain)
        var maps: [NFTMapState] = []
        for (mapTable, definition, flags, handle) in try dump(NFTMessages.dumpMaps(table: name), parse: NFTReadBack.map) where mapTable == name {
            let elements = try dump(NFTMessages.dumpElements(table: name, map: definition.name), parse: NFTReadBack.elements).joined()
            maps.append(NFTMapState(definition: definition, flags: flags, handle: handle,
                                    elements: Dictionary(elements.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })))
        }
        let rules = try dump(NFTMessages.dumpRules(table: name), parse: NFTReadBack.rule)
            .filter { $0.table == name }.map(\.rule)
        return NFTTableState(name: table.name, handle: table.handle, chains: chains, maps: maps, rules: rules)
    }

    /// Every reply of a dump, parsed; a reply that does not parse is an error, not skipped.
    private func dump<T>(_ request: NFTMessage, parse: (NetlinkMessage) -> T?) throws(NFTablesError) -> [T] {
        let replies: [NetlinkMessage]
        do { replies = try socket.request(request.request(.dump)) } catch { throw .request(error) }
        var parsed: [T] = []
        for reply in replies {
            guard let value = parse(reply) else { throw .unreadable("a reply to \(request.operation)") }
            parsed.append(value)
        }
        return parsed
    }
}
