/// One change to an `ip` table, as the planner emits them and a batch sends them. Elements are
/// sorted by key so a plan is deterministic.
public enum NFTOperation: Hashable, Sendable, CustomStringConvertible {
    case addTable(String)
    case deleteTable(String)
    case addChain(table: String, NFTChainSpec)
    case deleteChain(table: String, name: String)
    case addMap(table: String, NFTMapDefinition)
    case deleteMap(table: String, name: String)
    case addElements(table: String, map: String, [NFTMapElement])
    case deleteElements(table: String, map: String, keys: [[UInt8]])
    case addRule(table: String, NFTRuleSpec)
    case deleteRule(table: String, chain: String, handle: UInt64, comment: String?)

    /// What the operation does, naming its objects; errors about it start with this.
    public var description: String {
        switch self {
        case .addTable(let table): "adding table ip \(table)"
        case .deleteTable(let table): "deleting table ip \(table)"
        case .addChain(let table, let chain): "adding chain \(table)/\(chain.name) (\(chain.type.rawValue) hook \(chain.hook) priority \(chain.priority))"
        case .deleteChain(let table, let name): "deleting chain \(table)/\(name)"
        case .addMap(let table, let map): "adding map \(table)/\(map.name) (\(map.key) : \(map.value))"
        case .deleteMap(let table, let name): "deleting map \(table)/\(name)"
        case .addElements(let table, let map, let elements):
            "adding \(elements.count) element(s) to map \(table)/\(map): \(Self.list(elements.map(\.description)))"
        case .deleteElements(let table, let map, let keys):
            "deleting \(keys.count) element(s) from map \(table)/\(map): \(Self.list(keys.map(NFTHex.string)))"
        case .addRule(let table, let rule): "adding rule \"\(rule.comment)\" to chain \(table)/\(rule.chain)"
        case .deleteRule(let table, let chain, let handle, let comment):
            "deleting rule \(comment.map { "\"\($0)\" " } ?? "")(handle \(handle)) from chain \(table)/\(chain)"
        }
    }

    /// The first few items, then a count of the rest.
    private static func list(_ items: [String]) -> String {
        let shown = items.prefix(4).joined(separator: ", ")
        return items.count > 4 ? "\(shown), ... (\(items.count - 4) more)" : shown
    }
}
