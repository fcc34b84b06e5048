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
        case .addChain(let table, let chain): "adding chain \(table)/\(chain.name) (\(chain.type.rawValue) hook \(chain.hook) priority \(chain.priority)\(chain.policy == .drop ? " policy drop" : ""))"
        case .deleteChain(let table, let name): "deleting chain \(table)/\(name)"
        case .addMap(let table, let map): "adding map \(table)/\(map.name) (\(map.key)\(map.valueText))"
        case .deleteMap(let table, let name): "deleting map \(table)/\(name)"
        case .addElements(let table, let map, let elements):
            "adding \(elements.count) element(s) to map \(table)/\(map): \(Self.list(elements.prefix(4).map(\.description), total: elements.count))"
        case .deleteElements(let table, let map, let keys):
            "deleting \(keys.count) element(s) from map \(table)/\(map): \(Self.list(keys.prefix(4).map(NFTHex.string), total: keys.count))"
        case .addRule(let table, let rule): "adding rule \"\(rule.comment)\" to chain \(table)/\(rule.chain)"
        case .deleteRule(let table, let chain, let handle, let comment):
            "deleting rule \(comment.map { "\"\($0)\" " } ?? "")(handle \(handle)) from chain \(table)/\(chain)"
        }
    }

    /// The first few of `total` items, then a count of the rest.
    private static func list(_ shown: [String], total: Int) -> String {
        let text = shown.joined(separator: ", ")
        return total > shown.count ? "\(text), ... (\(total - shown.count) more)" : text
    }
}
