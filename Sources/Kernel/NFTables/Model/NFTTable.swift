/// Everything lbnet wants in one `ip` table it owns: chains, maps with their elements, rules.
/// The planner makes the kernel's table equal to this; anything else in the table is removed.
public struct NFTTableSpec: Hashable, Sendable {
    public let name: String
    public let chains: [NFTChainSpec]
    public let maps: [NFTMapSpec]
    public let rules: [NFTRuleSpec]

    public init(name: String, chains: [NFTChainSpec], maps: [NFTMapSpec], rules: [NFTRuleSpec]) {
        self.name = name
        self.chains = chains
        self.maps = maps
        self.rules = rules
    }
}

/// One `ip` table as read back from the kernel.
public struct NFTTableState: Hashable, Sendable {
    public let name: String
    public let handle: UInt64
    public let chains: [NFTChainState]
    public let maps: [NFTMapState]
    public let rules: [NFTRuleState]

    public init(name: String, handle: UInt64, chains: [NFTChainState], maps: [NFTMapState], rules: [NFTRuleState]) {
        self.name = name
        self.handle = handle
        self.chains = chains
        self.maps = maps
        self.rules = rules
    }

    public func chain(_ name: String) -> NFTChainState? { chains.first { $0.name == name } }
    public func map(_ name: String) -> NFTMapState? { maps.first { $0.definition.name == name } }
    public func rules(in chain: String) -> [NFTRuleState] { rules.filter { $0.chain == chain } }
}

/// A table read at one ruleset generation; `table` is `nil` when the table does not exist.
public struct NFTSnapshot: Hashable, Sendable {
    public let generation: UInt32
    public let table: NFTTableState?

    public init(generation: UInt32, table: NFTTableState?) {
        self.generation = generation
        self.table = table
    }
}
