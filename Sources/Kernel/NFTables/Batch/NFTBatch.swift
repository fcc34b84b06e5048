/// An ordered list of table changes that commit together or not at all: the kernel applies an
/// nftables batch as one transaction. Order matters: a rule that uses a map must be deleted
/// before the map, and a map must be added before a rule that uses it.
public struct NFTBatch: Hashable, Sendable, CustomStringConvertible {
    public var operations: [NFTOperation]

    public init(_ operations: [NFTOperation] = []) { self.operations = operations }

    public var isEmpty: Bool { operations.isEmpty }

    /// Whether every operation only adds or deletes map elements.
    public var changesOnlyElements: Bool {
        operations.allSatisfy { operation in
            switch operation {
            case .addElements, .deleteElements: true
            default: false
            }
        }
    }

    public var description: String { operations.map(\.description).joined(separator: "\n") }
}
