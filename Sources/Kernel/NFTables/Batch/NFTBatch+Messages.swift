extension NFTBatch {
    /// The batch's messages in order, without the begin/end framing. Maps added by the batch
    /// get batch-local ids (1, 2, ...) that the rules and elements referring to them carry.
    var messages: [NFTMessage] {
        var mapIDs: [String: UInt32] = [:]
        for case .addMap(_, let map) in operations where mapIDs[map.name] == nil {
            mapIDs[map.name] = UInt32(mapIDs.count + 1)
        }
        return operations.flatMap { operation -> [NFTMessage] in
            switch operation {
            case .addTable(let table): [NFTMessages.addTable(table)]
            case .deleteTable(let table): [NFTMessages.deleteTable(table)]
            case .addChain(let table, let chain): [NFTMessages.addChain(table: table, chain)]
            case .deleteChain(let table, let name): [NFTMessages.deleteChain(table: table, name: name)]
            case .addMap(let table, let map): [NFTMessages.addMap(table: table, map, id: mapIDs[map.name]!)]
            case .deleteMap(let table, let name): [NFTMessages.deleteMap(table: table, name: name)]
            case .addElements(let table, let map, let elements):
                NFTMessages.addElements(table: table, map: map, mapID: mapIDs[map], elements)
            case .deleteElements(let table, let map, let keys): NFTMessages.deleteElements(table: table, map: map, keys: keys)
            case .addRule(let table, let rule): [NFTMessages.addRule(table: table, rule, mapIDs: mapIDs)]
            case .deleteRule(let table, let chain, let handle, let comment):
                [NFTMessages.deleteRule(table: table, chain: chain, handle: handle, comment: comment)]
            }
        }
    }
}
