/// A batch as nftables receives it: one transaction (begin, carrying the generation the batch
/// was planned at when given; the messages; end) in one datagram. `transaction` gives the
/// requests `NFTablesNetlink.commit` sends; `init` numbers them from `firstSequence` the way
/// the exchange does, to show the bytes and what each sequence number was about.
struct NFTEncodedBatch {
    let bytes: [UInt8]
    let operations: [UInt32: String]

    init(_ messages: [NFTMessage], firstSequence: UInt32, generation: UInt32?) {
        let transaction = Self.transaction(messages, generation: generation)
        var batch = NetlinkBatch()
        batch.appendTransaction(transaction, operation: "sending an nftables batch")
        bytes = batch.datagrams(firstSequence: firstSequence).first?.bytes ?? []
        operations = Dictionary(uniqueKeysWithValues: transaction.enumerated().map {
            (firstSequence &+ UInt32($0.offset), $0.element.operation)
        })
    }

    /// The requests of the transaction that commits `messages`: the kernel answers them only
    /// to refuse one.
    static func transaction(_ messages: [NFTMessage], generation: UInt32?) -> [NetlinkRequest] {
        ([NFTMessages.batchBegin(generation: generation)] + messages + [NFTMessages.batchEnd()]).map { $0.request(.errorOnly) }
    }
}
