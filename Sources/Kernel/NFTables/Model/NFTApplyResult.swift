/// What a reconcile did: the batch it committed (empty when the table was already right and
/// nothing was sent) and the ruleset generation afterwards.
public struct NFTApplyResult: Sendable, Equatable {
    public let batch: NFTBatch
    public let generation: UInt32

    public init(batch: NFTBatch, generation: UInt32) {
        self.batch = batch
        self.generation = generation
    }
}
