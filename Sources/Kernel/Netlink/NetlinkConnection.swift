#if canImport(Glibc)
import Glibc
#endif

/// A transport and the last sequence number used on it: the state `NetlinkSocket` keeps
/// behind its lock. `exchange` runs one whole exchange (every send and every receive).
struct NetlinkConnection {
    var transport: any NetlinkTransport
    var lastSequence: UInt32

    /// Numbers the requests of `batch` from the next sequence number, sends its datagrams in
    /// order, and after each one receives until every request sent so far that the kernel
    /// always answers has its whole answer (errors of `errorOnly` requests arrive before those).
    /// Answers to other sequence numbers (left over from an exchange that failed) are skipped.
    /// Throws only when a send or receive fails; what the kernel refused is in the answers.
    mutating func exchange(_ batch: NetlinkBatch) throws(NetlinkError) -> [NetlinkAnswer] {
        let requests = batch.requests
        guard let last = requests.last else { return [] }
        precondition(last.completion != .errorOnly, "\(last.operation): an exchange cannot end with a request the kernel answers only on error")
        let first = lastSequence &+ 1
        lastSequence &+= UInt32(requests.count)
        var answers = requests.map { NetlinkAnswer(operation: $0.operation) }
        var complete = [Bool](repeating: false, count: requests.count)
        var outstanding = 0
        for datagram in batch.datagrams(firstSequence: first) {
            do {
                try transport.send(datagram.bytes)
            } catch {
                throw NetlinkError(operation: datagram.operation, errno: error.errno)
            }
            outstanding += datagram.requests.count(where: { requests[$0].completion != .errorOnly })
            while outstanding > 0 {
                let received: [UInt8]
                do {
                    received = try transport.receive()
                } catch {
                    let oldest = requests.indices.first { requests[$0].completion != .errorOnly && !complete[$0] } ?? 0
                    throw NetlinkError(operation: "waiting for the answer to \(requests[oldest].operation)", errno: error.errno)
                }
                for message in NetlinkMessage.split(received) {
                    let index = Int(message.sequence &- first)
                    guard index < requests.count, !complete[index],
                          Self.record(message, for: requests[index], in: &answers[index]),
                          requests[index].completion != .errorOnly else { continue }
                    complete[index] = true
                    outstanding -= 1
                }
            }
        }
        return answers
    }

    /// Adds `message` to `answer`; returns whether the answer is complete.
    private static func record(_ message: NetlinkMessage, for request: NetlinkRequest, in answer: inout NetlinkAnswer) -> Bool {
        switch message.type {
        case NetlinkConstants.MessageType.error:
            guard let (code, text) = message.errorCode else { return false }
            if code != 0 && !request.alreadyDone.contains(code) {
                answer.error = NetlinkError(operation: request.operation, errno: code, kernelMessage: text)
            }
            return true
        case NetlinkConstants.MessageType.done:
            if message.flags & NetlinkConstants.Flags.dumpInterrupted != 0 {
                answer.error = NetlinkError(operation: request.operation, errno: EINTR, kernelMessage: "dump interrupted, retry")
            }
            return request.completion == .dump
        case NetlinkConstants.MessageType.noop:
            return false
        default:
            answer.replies.append(message)
            return false
        }
    }
}
