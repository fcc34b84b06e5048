import Kernel

/// One nftables transaction of a plan: the batch that brings one owned table of one namespace
/// to what it must be (or removes it), planned from the table read at `generation`. When the
/// ruleset moved on before the commit, the applier reads the table again and plans it anew
/// from `desired`.
public struct NFTablesStep: Sendable, Equatable, CustomStringConvertible {
    public let namespace: String
    public let table: String
    /// `nil`: the table is no longer wanted and the batch deletes it.
    public let desired: OwnedNFTable?
    public let batch: NFTBatch
    /// Whether the table existed when it was read.
    public let existed: Bool
    public let generation: UInt32?

    public init(namespace: String, table: String, desired: OwnedNFTable?, batch: NFTBatch, existed: Bool, generation: UInt32?) {
        self.namespace = namespace
        self.table = table
        self.desired = desired
        self.batch = batch
        self.existed = existed
        self.generation = generation
    }

    /// The batch for the table as it is now, for a commit the ruleset's generation refused.
    public func replan(current: NFTTableState?) throws -> NFTBatch {
        guard let desired else { return NFTPlanner.planRemoval(of: table, current: current) }
        return try desired.plan(current: current)
    }

    /// `~ nftables table ip lbnet_nlb: nftables datapath of web-nlb-local-1a (in lbnet-web-nlb-local-1a)`, then
    /// one indented line per operation.
    public var description: String {
        guard let desired else { return "- nftables table ip \(table) (in \(namespace))" }
        let head = "\(existed ? "~" : "+") nftables table ip \(table): \(desired.owner) (in \(namespace))"
        return head + batch.operations.map { "\n      \($0)" }.joined()
    }
}
