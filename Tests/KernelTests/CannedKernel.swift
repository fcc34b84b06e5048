import Synchronization
@testable import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// A netlink transport that answers like the kernel, from a script: `answer` gets the messages
/// of each datagram sent (and how many datagrams came before it) and returns the datagrams the
/// kernel would queue. Receiving with nothing queued fails with `EAGAIN` instead of blocking.
final class CannedKernel: NetlinkTransport {
    let sent: SentDatagrams
    private let answer: @Sendable ([NetlinkMessage], Int) -> [[UInt8]]
    private var queued: [[UInt8]] = []

    init(sent: SentDatagrams, answer: @escaping @Sendable ([NetlinkMessage], Int) -> [[UInt8]]) {
        self.sent = sent
        self.answer = answer
    }

    func send(_ datagram: [UInt8]) throws(NetlinkTransportError) {
        let count = sent.append(datagram)
        queued += answer(NetlinkMessage.split(datagram), count - 1)
    }

    func receive() throws(NetlinkTransportError) -> [UInt8] {
        guard !queued.isEmpty else { throw NetlinkTransportError(errno: EAGAIN) }
        return queued.removeFirst()
    }

    /// A socket over a canned kernel whose first exchange is numbered from 1.
    static func socket(_ answer: @escaping @Sendable ([NetlinkMessage], Int) -> [[UInt8]]) -> (NetlinkSocket, SentDatagrams) {
        let sent = SentDatagrams()
        return (NetlinkSocket(transport: CannedKernel(sent: sent, answer: answer), lastSequence: 0), sent)
    }
}

/// The datagrams a canned kernel received, for the test to inspect.
final class SentDatagrams: Sendable {
    private let datagrams = Mutex<[[UInt8]]>([])

    /// Records `datagram`; returns how many there are now.
    func append(_ datagram: [UInt8]) -> Int {
        datagrams.withLock { $0.append(datagram); return $0.count }
    }

    var all: [[UInt8]] { datagrams.withLock { $0 } }
    var messages: [[NetlinkMessage]] { all.map(NetlinkMessage.split) }
}

/// The kernel's side of the wire: answers to a request, as the kernel formats them.
enum KernelAnswer {
    /// An ACK (`NLMSG_ERROR` with 0), capped: only the request's header is echoed.
    static func ack(_ request: NetlinkMessage) -> [UInt8] { error(request, errno: 0) }

    /// A refusal with the extended-ack message `text`, when given.
    static func error(_ request: NetlinkMessage, errno code: Int32, text: String? = nil) -> [UInt8] {
        var encoder = NetlinkEncoder(type: NetlinkConstants.MessageType.error, flags: text == nil ? 0x100 : 0x300)
        encoder.appendInt32(-code)
        encoder.appendBytes(NetlinkEncoder(type: request.type, flags: request.flags).finish(sequence: request.sequence))
        if let text { encoder.attribute(1, string: text) }
        return encoder.finish(sequence: request.sequence)
    }

    /// A data reply of `type` carrying `payload` (padded to 4 bytes), part of a multipart answer.
    static func data(_ request: NetlinkMessage, type: UInt16 = 0x10, payload: [UInt8]) -> [UInt8] {
        var encoder = NetlinkEncoder(type: type, flags: NetlinkConstants.Flags.multi)
        encoder.appendBytes(payload)
        encoder.align()
        return encoder.finish(sequence: request.sequence)
    }

    /// The end of a dump, `NLM_F_DUMP_INTR` set when `interrupted`.
    static func done(_ request: NetlinkMessage, interrupted: Bool = false) -> [UInt8] {
        let flags = NetlinkConstants.Flags.multi | (interrupted ? NetlinkConstants.Flags.dumpInterrupted : 0)
        var encoder = NetlinkEncoder(type: NetlinkConstants.MessageType.done, flags: flags)
        encoder.appendInt32(0)
        return encoder.finish(sequence: request.sequence)
    }

    /// nftables `NEWGEN` (subsystem 10, message 15): `nfgenmsg`, then `NFTA_GEN_ID` big endian.
    static func generation(_ request: NetlinkMessage, _ generation: UInt32) -> [UInt8] {
        var encoder = NetlinkEncoder(type: 0x0a0f, flags: 0)
        encoder.appendBytes([0, 0, 0, 0])
        encoder.attribute(1, uint32: generation.byteSwapped)
        return encoder.finish(sequence: request.sequence)
    }
}
