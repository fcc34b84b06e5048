import Dispatch
import Testing
@testable import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// The netlink exchange against canned kernel answers: no root, no socket.
@Suite struct NetlinkExchangeTests {
    static let bridges = ["br-a", "br-b", "br-c"].map { RouteMessages.createBridge(name: $0) }

    @Test func everyAnswerIsCollectedAndErrorsAreInRequestOrder() throws {
        let (socket, sent) = CannedKernel.socket { messages, _ in
            // All three answers in one datagram, the refusal of the second with extack text.
            [messages.map { $0.sequence == 2 ? KernelAnswer.error($0, errno: EEXIST, text: "bridge exists") : KernelAnswer.ack($0) }
                .reduce([], +)]
        }
        let answers = try socket.exchange(NetlinkBatch(Self.bridges))
        #expect(sent.all.count == 1)
        #expect(sent.messages[0].map(\.sequence) == [1, 2, 3])
        #expect(answers.map(\.operation) == ["creating bridge br-a", "creating bridge br-b", "creating bridge br-c"])
        #expect(answers.map(\.error) == [nil, NetlinkError(operation: "creating bridge br-b", errno: EEXIST, kernelMessage: "bridge exists"), nil])
        #expect("\(answers.failures[0])" == "creating bridge br-b: EEXIST (File exists): bridge exists")
    }

    @Test func performReportsEveryFailureAndIgnoresAlreadyDone() throws {
        let requests = [RouteMessages.deleteLink(index: 4, name: "gone")] + Self.bridges
        let (socket, _) = CannedKernel.socket { messages, _ in
            messages.map { message in
                switch message.sequence {
                case 1: KernelAnswer.error(message, errno: ENODEV)
                case 2, 4: KernelAnswer.error(message, errno: EPERM)
                default: KernelAnswer.ack(message)
                }
            }
        }
        let error = try #require(throws: NetlinkBatchError.self) { try socket.perform(requests) }
        #expect(error.failures.map(\.operation) == ["creating bridge br-a", "creating bridge br-c"])
        #expect(error.failures.allSatisfy { $0.errno == EPERM })
    }

    @Test func aDumpSplitOverDatagramsIsCollectedWhole() throws {
        let (socket, _) = CannedKernel.socket { messages, _ in
            let dump = messages[0]
            let stale = NetlinkMessage(type: 0x10, flags: 0, sequence: 99, portID: 0, payload: [])
            return [
                KernelAnswer.data(dump, payload: [1, 1, 1, 1]) + KernelAnswer.data(dump, payload: [2, 2, 2, 2]),
                KernelAnswer.data(stale, payload: [9, 9, 9, 9]),
                KernelAnswer.data(dump, payload: [3, 3, 3, 3]),
                KernelAnswer.done(dump),
            ]
        }
        let replies = try socket.dump(RouteMessages.dumpLinks(), operation: "dumping links")
        #expect(replies.map(\.payload) == [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]])
    }

    @Test func anInterruptedDumpAsksForARetry() throws {
        let (socket, _) = CannedKernel.socket { messages, _ in [KernelAnswer.done(messages[0], interrupted: true)] }
        let error = try #require(throws: NetlinkError.self) { try socket.dump(RouteMessages.dumpLinks(), operation: "dumping links") }
        #expect(error == NetlinkError(operation: "dumping links", errno: EINTR, kernelMessage: "dump interrupted, retry"))
    }

    @Test func aDumpEndsItsDatagramAndIsAnsweredBeforeTheNextIsSent() throws {
        var batch = NetlinkBatch([Self.bridges[0], .dump(RouteMessages.dumpLinks(), operation: "dumping links")])
        batch.append(Self.bridges[1])
        let (socket, sent) = CannedKernel.socket { messages, _ in
            messages.map { $0.sequence == 2 ? KernelAnswer.data($0, payload: [7]) + KernelAnswer.done($0) : KernelAnswer.ack($0) }
        }
        let answers = try socket.exchange(batch)
        #expect(sent.messages.map { $0.map(\.sequence) } == [[1, 2], [3]])
        #expect(answers.map(\.replies.count) == [0, 1, 0])
        #expect(answers.failures.isEmpty)
    }

    @Test func sequenceNumbersContinueAcrossExchangesAndStaleAnswersAreSkipped() throws {
        let (socket, _) = CannedKernel.socket { messages, datagramsBefore in
            // The first exchange gets no answer; its ACK arrives at the start of the second.
            datagramsBefore == 0 ? [] : [KernelAnswer.ack(NetlinkMessage(type: 2, flags: 0, sequence: 1, portID: 0, payload: []))]
                + messages.map { KernelAnswer.error($0, errno: EBUSY) }
        }
        let lost = try #require(throws: NetlinkError.self) { try socket.exchange(NetlinkBatch([Self.bridges[0]])) }
        #expect(lost == NetlinkError(operation: "waiting for the answer to creating bridge br-a", errno: EAGAIN))
        let answers = try socket.exchange(NetlinkBatch([Self.bridges[1]]))
        #expect(answers.map(\.error?.errno) == [EBUSY])
    }

    @Test func requestsArePackedIntoDatagramsUpToTheLimitAndATransactionGoesAlone() {
        let small = Self.bridges[0]
        let size = small.encoder.bytes.count
        var batch = NetlinkBatch(Array(repeating: small, count: 5))
        batch.appendTransaction(Array(repeating: small, count: 4), operation: "the transaction")
        batch.append(small)
        let datagrams = batch.datagrams(firstSequence: 10, maximumBytes: 2 * size)
        #expect(datagrams.map(\.requests) == [0..<2, 2..<4, 4..<5, 5..<9, 9..<10])
        #expect(datagrams[3].bytes.count == 4 * size)
        #expect(datagrams[3].operation == "the transaction")
        #expect(datagrams.flatMap { NetlinkMessage.split($0.bytes).map(\.sequence) } == Array(10...19))
    }

    @Test func exchangesFromManyThreadsDoNotInterleave() {
        let (socket, sent) = CannedKernel.socket { messages, _ in messages.map(KernelAnswer.ack) }
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            #expect(throws: Never.self) { try socket.perform(Self.bridges) }
        }
        // Each exchange's datagram holds its own three consecutive sequence numbers.
        let sequences: [[UInt32]] = sent.messages.map { $0.map(\.sequence) }.sorted { $0[0] < $1[0] }
        let expected: [[UInt32]] = (0..<16).map { exchange in (1...3).map { UInt32(3 * exchange + $0) } }
        #expect(sequences == expected)
    }

    @Test func aFailedSendNamesTheLastRequestOfItsDatagram() throws {
        final class Refusing: NetlinkTransport {
            func send(_ datagram: [UInt8]) throws(NetlinkTransportError) { throw NetlinkTransportError(errno: ENOBUFS) }
            func receive() throws(NetlinkTransportError) -> [UInt8] { [] }
        }
        let socket = NetlinkSocket(transport: Refusing(), lastSequence: 0)
        let error = try #require(throws: NetlinkBatchError.self) { try socket.perform(Self.bridges) }
        #expect(error.failures == [NetlinkError(operation: "creating bridge br-c", errno: ENOBUFS)])
    }
}

/// An nftables commit as one exchange: the transaction alone in one datagram, then the
/// generation fence, against canned kernel answers.
@Suite struct NFTablesCommitExchangeTests {
    static let batch = NFTBatch([.addTable("t"), .addMap(table: "t", NFTMapDefinition(name: "m", key: .ipv4Address, value: .ipv4Address)),
                                 .deleteTable("old")])

    /// A kernel that refuses the transaction messages numbered in `refused` and answers the
    /// fence with generation 42.
    static func kernel(refusing refused: [UInt32: Int32] = [:]) -> (NFTablesNetlink, SentDatagrams) {
        let (socket, sent) = CannedKernel.socket { messages, _ in
            if messages.count == 1 {
                return [KernelAnswer.generation(messages[0], 42) + KernelAnswer.ack(messages[0])]
            }
            return messages.compactMap { message in
                refused[message.sequence].map { KernelAnswer.error(message, errno: $0, text: "refused") }
            }
        }
        return (NFTablesNetlink(socket: socket), sent)
    }

    @Test func theTransactionGoesAloneAndTheFenceAfterIt() throws {
        let (client, sent) = Self.kernel()
        #expect(try client.commit(Self.batch, table: "t", basedOn: 7) == 42)
        let datagrams = sent.messages
        #expect(datagrams.count == 2)
        #expect(datagrams[0].map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(datagrams[0].first?.type == 0x10 && datagrams[0].last?.type == 0x11)
        #expect(sent.all[0] == NFTEncodedBatch(Self.batch.messages, firstSequence: 1, generation: 7).bytes)
        #expect(datagrams[1].map(\.sequence) == [6])
        #expect(datagrams[1].first?.type == 0x0a10)
    }

    @Test func everyRefusedMessageIsReportedInBatchOrder() throws {
        let (client, _) = Self.kernel(refusing: [4: ENOENT, 2: EEXIST])
        let error = try #require(throws: NFTablesError.self) { try client.commit(Self.batch, table: "t", basedOn: nil) }
        guard case .batchRejected(let table, let failures) = error else {
            Issue.record("expected batchRejected, got \(error)")
            return
        }
        #expect(table == "t")
        #expect(failures.map(\.errno) == [EEXIST, ENOENT])
        #expect(failures.map(\.operation) == ["adding table ip t", "deleting table ip old"])
        #expect(failures.allSatisfy { $0.kernelMessage == "refused" })
    }

    @Test func aStaleGenerationIsAMismatch() throws {
        let (client, _) = Self.kernel(refusing: [1: NFTablesError.restartErrno])
        let error = try #require(throws: NFTablesError.self) { try client.commit(Self.batch, table: "t", basedOn: 3) }
        #expect(error.isGenerationMismatch)
    }
}
