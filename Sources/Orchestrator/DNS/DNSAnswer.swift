import Kernel
import NIOCore

/// The answer to a ``DNSQuery`` or to a datagram that was not one (RFC 1035 section 4.1):
/// authoritative, no recursion offered, the question echoed and A records pointing back at it.
enum DNSAnswer {
    enum ResponseCode: UInt16 {
        case noError = 0, formatError = 1, nameError = 3, notImplemented = 4, refused = 5
    }

    /// Seconds a client may keep an answer: AWS gives load balancer names 60.
    static let timeToLive: UInt32 = 60

    static func encode(_ query: DNSQuery, code: ResponseCode, addresses: [IPv4Address], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 12 + query.question.readableBytes + addresses.count * 16)
        writeHeader(id: query.id, flags: query.flags, code: code, questions: 1, answers: UInt16(addresses.count), into: &buffer)
        var question = query.question
        buffer.writeBuffer(&question)
        for address in addresses {
            buffer.writeInteger(UInt16(0xC00C))  // the name: a pointer to the question's
            buffer.writeInteger(DNSQuery.typeA)
            buffer.writeInteger(DNSQuery.classIN)
            buffer.writeInteger(timeToLive)
            buffer.writeInteger(UInt16(4))
            buffer.writeInteger(address.value)
        }
        return buffer
    }

    /// The answer to a datagram that was no query lbnet answers; nil when it has no ID to answer.
    static func encode(_ refusal: DNSQuery.Refusal, allocator: ByteBufferAllocator) -> ByteBuffer? {
        var buffer = allocator.buffer(capacity: 12)
        switch refusal {
        case .malformed(let id?):
            writeHeader(id: id, flags: 0, code: .formatError, questions: 0, answers: 0, into: &buffer)
        case .malformed(nil):
            return nil
        case .notImplemented(let id, let flags):
            writeHeader(id: id, flags: flags, code: .notImplemented, questions: 0, answers: 0, into: &buffer)
        }
        return buffer
    }

    private static func writeHeader(id: UInt16, flags: UInt16, code: ResponseCode, questions: UInt16, answers: UInt16,
                                    into buffer: inout ByteBuffer) {
        // QR, the query's opcode and RD, AA set, RA clear.
        let answerFlags: UInt16 = 0x8000 | (flags & 0x7800) | 0x0400 | (flags & 0x0100) | code.rawValue
        buffer.writeInteger(id)
        buffer.writeInteger(answerFlags)
        buffer.writeInteger(questions)
        buffer.writeInteger(answers)
        buffer.writeInteger(UInt16(0))
        buffer.writeInteger(UInt16(0))
    }
}
