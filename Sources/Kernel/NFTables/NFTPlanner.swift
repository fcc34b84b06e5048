import CNetlink

/// Diffs the table lbnet wants against the table read back from the kernel and produces the
/// smallest batch that makes them equal. Pure: no kernel access.
///
/// What it keeps: chains with the same hook, type and priority; maps with the same key and value
/// types (only their differing elements change: added, deleted, or deleted and re-added with the
/// new value, since the kernel refuses to overwrite an element's value); rules whose tag and
/// expressions are equal to a wanted rule (rules are independent of their position: lbnet's
/// rules in one chain never match the same packet). Everything else in the table goes.
///
/// Order inside the batch: rule deletions, chain deletions, element deletions, map deletions,
/// then chain, map, element and rule additions. A rule that uses a map is deleted before the
/// map (the kernel refuses to delete a map in use with `EBUSY`), and when a map must be
/// recreated (its types changed) the rules using it are deleted and added again around it.
public enum NFTPlanner {
    public static func plan(_ desired: NFTTableSpec, current: NFTTableState?) -> NFTBatch {
        let table = desired.name
        guard let current else {
            return NFTBatch([.addTable(table)]
                + desired.chains.map { .addChain(table: table, $0) }
                + desired.maps.map { .addMap(table: table, $0.definition) }
                + desired.maps.compactMap { addAll(table: table, $0) }
                + desired.rules.map { .addRule(table: table, $0) })
        }
        var deleteRules: [NFTOperation] = []
        var deleteChains: [NFTOperation] = []
        var deleteElements: [NFTOperation] = []
        var deleteMaps: [NFTOperation] = []
        var addChains: [NFTOperation] = []
        var addMaps: [NFTOperation] = []
        var addElements: [NFTOperation] = []

        let wantedChains = Dictionary(desired.chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var replacedChains: Set<String> = []
        for chain in current.chains where chain.spec == nil || chain.spec != wantedChains[chain.name] {
            deleteChains.append(.deleteChain(table: table, name: chain.name))
            replacedChains.insert(chain.name)
        }
        for chain in desired.chains where current.chain(chain.name) == nil || replacedChains.contains(chain.name) {
            addChains.append(.addChain(table: table, chain))
        }

        let wantedMaps = Dictionary(desired.maps.map { ($0.definition.name, $0) }, uniquingKeysWith: { first, _ in first })
        var replacedMaps: Set<String> = []
        for map in current.maps {
            guard let wanted = wantedMaps[map.definition.name], wanted.definition == map.definition,
                  map.flags == wanted.definition.flags else {
                deleteMaps.append(.deleteMap(table: table, name: map.definition.name))
                replacedMaps.insert(map.definition.name)
                continue
            }
            let (deleted, added) = elementChanges(from: map.elements, to: wanted.elements)
            if !deleted.isEmpty { deleteElements.append(.deleteElements(table: table, map: map.definition.name, keys: deleted)) }
            if !added.isEmpty { addElements.append(.addElements(table: table, map: map.definition.name, added)) }
        }
        for map in desired.maps where current.map(map.definition.name) == nil || replacedMaps.contains(map.definition.name) {
            addMaps.append(.addMap(table: table, map.definition))
            if let elements = addAll(table: table, map) { addElements.append(elements) }
        }

        var unmatched = desired.rules
        for rule in current.rules {
            if !replacedChains.contains(rule.chain), rule.referencedMaps.isDisjoint(with: replacedMaps),
               let index = unmatched.firstIndex(where: rule.matches) {
                unmatched.remove(at: index)
            } else {
                deleteRules.append(.deleteRule(table: table, chain: rule.chain, handle: rule.handle, comment: rule.comment))
            }
        }

        let addRules = unmatched.map { NFTOperation.addRule(table: table, $0) }
        return NFTBatch(deleteRules + deleteChains + deleteElements + deleteMaps + addChains + addMaps + addElements + addRules)
    }

    /// The batch that deletes `table` with everything in it, or nothing if it does not exist.
    public static func planRemoval(of table: String, current: NFTTableState?) -> NFTBatch {
        NFTBatch(current == nil ? [] : [.deleteTable(table)])
    }

    /// Keys to delete (gone or changed value) and elements to add (new or changed value).
    static func elementChanges(from current: [[UInt8]: [UInt8]], to wanted: [[UInt8]: [UInt8]]) -> (deleted: [[UInt8]], added: [NFTMapElement]) {
        let deleted = current.filter { wanted[$0.key] != $0.value }.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let added = wanted.filter { current[$0.key] != $0.value }.map { NFTMapElement(key: $0.key, value: $0.value) }.sorted()
        return (deleted, added)
    }

    private static func addAll(table: String, _ map: NFTMapSpec) -> NFTOperation? {
        map.elements.isEmpty ? nil
            : .addElements(table: table, map: map.definition.name, map.elements.map { NFTMapElement(key: $0.key, value: $0.value) }.sorted())
    }
}
