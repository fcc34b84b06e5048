import NIOCore

/// One DNS question as a client sends it (RFC 1035 section 4.1): the message ID, the flags the
/// answer echoes, and the single question, its name lower-cased. lbnet's answerer is
/// authoritative for load balancer names only; no DNS library is in lbnet's package set, and
/// this is the small part of the format it needs.
struct DNSQuery: Equatable {
    /// Why a datagram is not a query lbnet answers, with the response code it gets.
    enum Refusal: Error, Equatable {
        /// Too short, a name that runs off the end or uses compression, not one question.
        case malformed(id: UInt16?)
        /// An opcode other than QUERY.
        case notImplemented(id: UInt16, flags: UInt16)
    }

    static let typeA: UInt16 = 1
    static let classIN: UInt16 = 1

    let id: UInt16
    let flags: UInt16
    let name: String
    /// The question's wire form (name, type and class), echoed in the answer.
    let question: ByteBuffer
    let type: UInt16
    let `class`: UInt16

    /// The query in `datagram`, or why it is not one.
    static func parse(_ datagram: ByteBuffer) throws(Refusal) -> DNSQuery {
        var buffer = datagram
        guard let id = buffer.readInteger(as: UInt16.self) else { throw .malformed(id: nil) }
        guard let flags = buffer.readInteger(as: UInt16.self), let questions = buffer.readInteger(as: UInt16.self),
              buffer.readableBytes >= 6 else { throw .malformed(id: id) }
        buffer.moveReaderIndex(forwardBy: 6)
        guard flags & 0x8000 == 0, questions == 1 else { throw .malformed(id: id) }
        guard (flags >> 11) & 0xF == 0 else { throw .notImplemented(id: id, flags: flags) }
        let questionStart = buffer.readerIndex
        var labels: [String] = []
        var nameLength = 0
        while true {
            guard let length = buffer.readInteger(as: UInt8.self), length & 0xC0 == 0 else { throw .malformed(id: id) }
            if length == 0 { break }
            nameLength += Int(length) + 1
            guard nameLength <= 255, let label = buffer.readBytes(length: Int(length)) else { throw .malformed(id: id) }
            labels.append(String(decoding: label, as: UTF8.self).lowercased())
        }
        guard let type = buffer.readInteger(as: UInt16.self), let `class` = buffer.readInteger(as: UInt16.self) else {
            throw .malformed(id: id)
        }
        let question = datagram.getSlice(at: questionStart, length: buffer.readerIndex - questionStart)!
        return DNSQuery(id: id, flags: flags, name: labels.joined(separator: "."), question: question, type: type, class: `class`)
    }
}
