#if canImport(Glibc)
import Glibc
#endif

/// nftables over one netfilter netlink socket of one network namespace: the ruleset
/// generation, read-back of one `ip` table lbnet owns, atomic batches, and reconcile (read,
/// plan, commit at the generation that was read, retry if the ruleset moved on). A commit is
/// one exchange on the socket, so other users of the socket wait until it is answered.
public final class NFTablesNetlink: Sendable {
    public let socket: NetlinkSocket
    /// Reads and commits retried when the ruleset changes concurrently.
    public static let attempts = 5

    public init(socket: NetlinkSocket) { self.socket = socket }

    /// A client on a new socket opened inside namespace `namespace`.
    public static func open(inNamespace namespace: String) throws -> NFTablesNetlink {
        NFTablesNetlink(socket: try NetworkNamespace.socket(in: namespace, protocol: NetlinkConstants.Family.netfilter))
    }

    /// The ruleset generation (`NFT_MSG_GETGEN`): it changes with every committed batch.
    public func generation() throws(NFTablesError) -> UInt32 {
        let request = NFTMessages.getGeneration()
        let replies: [NetlinkMessage]
        do { replies = try socket.request(request.request()) } catch { throw .request(error) }
        guard let generation = replies.lazy.compactMap(NFTReadBack.generation).first else {
            throw .unreadable("the answer to \(request.operation)")
        }
        return generation
    }

    /// Sends `batch` as one nftables transaction and returns the generation after it. With
    /// `generation`, the kernel refuses the batch if the ruleset is no longer at it.
    /// Nothing is committed unless every message is accepted. An empty batch sends nothing.
    ///
    /// One exchange: the transaction in one datagram, then `GETGEN` as a fence. The kernel
    /// processes a transaction during its send and queues its errors before the answer to the
    /// fence, so once the fence is answered every error of the batch is in.
    @discardableResult
    public func commit(_ batch: NFTBatch, table: String, basedOn generation: UInt32?) throws(NFTablesError) -> UInt32 {
        guard !batch.isEmpty else { return try self.generation() }
        let messages = batch.messages
        let transaction = NFTEncodedBatch.transaction(messages, generation: generation)
        let bytes = transaction.reduce(0) { $0 + $1.encoder.bytes.count }
        var exchange = NetlinkBatch()
        exchange.appendTransaction(transaction, operation: "sending the nftables batch for table ip \(table) (\(messages.count) messages, \(bytes) bytes)")
        exchange.append(NFTMessages.getGeneration().request())
        let answers: [NetlinkAnswer]
        do {
            answers = try socket.exchange(exchange)
        } catch {
            if error.errno == EMSGSIZE { throw .batchTooLarge(table: table, messages: messages.count, bytes: bytes) }
            throw .request(error)
        }
        let fence = answers[answers.count - 1]
        if let error = fence.error { throw .request(error) }
        let failures = answers.dropLast().failures
        if !failures.isEmpty { throw .batchRejected(table: table, failures: failures) }
        guard let committedGeneration = fence.replies.lazy.compactMap(NFTReadBack.generation).first else {
            throw .unreadable("the generation after the batch for table ip \(table)")
        }
        return committedGeneration
    }

    /// Reads table `table`, asks `plan` for the batch that makes it right, and commits that
    /// batch at the generation that was read; if another change committed in between, the
    /// kernel refuses the batch and this starts over. An empty plan sends nothing.
    @discardableResult
    public func reconcile(table: String, plan: (NFTTableState?) throws -> NFTBatch) throws -> NFTApplyResult {
        for _ in 1...Self.attempts {
            let snapshot = try readTable(table)
            let batch = try plan(snapshot.table)
            if batch.isEmpty { return NFTApplyResult(batch: batch, generation: snapshot.generation) }
            do {
                let generation = try commit(batch, table: table, basedOn: snapshot.generation)
                return NFTApplyResult(batch: batch, generation: generation)
            } catch {
                if error.isGenerationMismatch { continue }
                throw error
            }
        }
        throw NFTablesError.concurrentChanges(table: table, attempts: Self.attempts)
    }
}
