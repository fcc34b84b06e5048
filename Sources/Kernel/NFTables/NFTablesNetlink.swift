#if canImport(Glibc)
import Glibc
#endif

/// nftables over one netfilter netlink socket of one network namespace: the ruleset
/// generation, read-back of one `ip` table lbnet owns, atomic batches, and reconcile (read,
/// plan, commit at the generation that was read, retry if the ruleset moved on). The socket
/// must not be shared with other users while a batch is in flight.
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
        do { replies = try socket.query(request.encoder, operation: request.operation) } catch { throw .request(error) }
        guard let generation = replies.lazy.compactMap(NFTReadBack.generation).first else {
            throw .unreadable("the answer to \(request.operation)")
        }
        return generation
    }

    /// Sends `batch` as one nftables transaction and returns the generation after it. With
    /// `generation`, the kernel refuses the batch if the ruleset is no longer at it.
    /// Nothing is committed unless every message is accepted. An empty batch sends nothing.
    @discardableResult
    public func commit(_ batch: NFTBatch, table: String, basedOn generation: UInt32?) throws(NFTablesError) -> UInt32 {
        guard !batch.isEmpty else { return try self.generation() }
        let messages = batch.messages
        let first = socket.reserveSequences(NFTEncodedBatch.sequenceCount(messageCount: messages.count))
        let encoded = NFTEncodedBatch(messages, firstSequence: first, generation: generation)
        let fence = NFTMessages.getGeneration()
        let fenceSequence = socket.reserveSequences(1)
        do {
            try socket.sendRaw(encoded.bytes, operation: "sending the nftables batch for table ip \(table) (\(messages.count) messages, \(encoded.bytes.count) bytes)")
        } catch {
            if error.errno == EMSGSIZE { throw .batchTooLarge(table: table, messages: messages.count, bytes: encoded.bytes.count) }
            throw .request(error)
        }
        do {
            // The kernel processes a batch during the send and queues its answers before the
            // answer to this request: once this is answered, every error of the batch is in.
            try socket.sendRaw(fence.sequenced(fenceSequence), operation: fence.operation)
        } catch {
            throw .request(error)
        }
        var failures: [NetlinkError] = []
        var committedGeneration: UInt32?
        var fenceAnswered = false
        while !fenceAnswered {
            let received: [NetlinkMessage]
            do {
                received = try socket.receiveRaw(operation: "waiting for the answer to the nftables batch for table ip \(table)")
            } catch {
                throw .request(error)
            }
            for message in received {
                if message.sequence == fenceSequence {
                    if let answer = NFTReadBack.generation(message) { committedGeneration = answer }
                    if let (code, text) = message.errorCode {
                        if code != 0 { throw .request(NetlinkError(operation: fence.operation, errno: code, kernelMessage: text)) }
                        fenceAnswered = true
                    }
                } else if let operation = encoded.operations[message.sequence], let (code, text) = message.errorCode, code != 0 {
                    failures.append(NetlinkError(operation: operation, errno: code, kernelMessage: text))
                }
            }
        }
        if !failures.isEmpty { throw .batchRejected(table: table, failures: failures) }
        guard let committedGeneration else { throw .unreadable("the generation after the batch for table ip \(table)") }
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
