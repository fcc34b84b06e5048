/// A batch as bytes for one `sendto`: begin (carrying the generation the batch was planned at,
/// when given), the messages, end, numbered from `firstSequence`; and what each sequence
/// number was about.
struct NFTEncodedBatch {
    let bytes: [UInt8]
    let operations: [UInt32: String]

    init(_ messages: [NFTMessage], firstSequence: UInt32, generation: UInt32?) {
        let framed = [NFTMessages.batchBegin(generation: generation)] + messages + [NFTMessages.batchEnd()]
        var bytes: [UInt8] = []
        var operations: [UInt32: String] = [:]
        for (offset, message) in framed.enumerated() {
            let sequence = firstSequence &+ UInt32(offset)
            bytes += message.sequenced(sequence)
            operations[sequence] = message.operation
        }
        self.bytes = bytes
        self.operations = operations
    }

    /// Sequence numbers a batch of `messageCount` messages uses, framing included.
    static func sequenceCount(messageCount: Int) -> Int { messageCount + 2 }
}
