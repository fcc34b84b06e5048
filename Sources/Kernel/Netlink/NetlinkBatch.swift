/// The requests of one netlink exchange, in order, and how they are packed into datagrams:
/// as many requests per `sendto` as fit in `maximumDatagramBytes`, except that a dump ends its
/// datagram (the kernel runs one dump at a time per socket) and a transaction (an nftables
/// BEGIN … END) is a datagram of its own, whatever its size.
public struct NetlinkBatch: Sendable {
    public private(set) var requests: [NetlinkRequest] = []
    /// Consecutive requests that go together: one request, or a transaction and its name.
    private var units: [(requests: Range<Int>, transaction: String?)] = []

    /// Largest number of bytes put into one `sendto` outside a transaction: well under the
    /// default socket send buffer.
    static let maximumDatagramBytes = 64 * 1024

    public init(_ requests: [NetlinkRequest] = []) {
        for request in requests { append(request) }
    }

    public var isEmpty: Bool { requests.isEmpty }

    public mutating func append(_ request: NetlinkRequest) {
        units.append((requests.count..<(requests.count + 1), nil))
        requests.append(request)
    }

    /// Appends `transaction`, to be sent in one datagram with nothing else in it; `operation`
    /// names the send if it fails (e.g. `EMSGSIZE`: too large for the socket's send buffer).
    public mutating func appendTransaction(_ transaction: [NetlinkRequest], operation: String) {
        guard !transaction.isEmpty else { return }
        units.append((requests.count..<(requests.count + transaction.count), operation))
        requests += transaction
    }

    /// One `sendto` of an exchange: its bytes, the requests in it, and what to call it if the
    /// send fails.
    struct Datagram {
        var bytes: [UInt8] = []
        var requests: Range<Int>
        var operation: String
    }

    /// The datagrams of the batch, request `i` numbered `firstSequence + i`.
    func datagrams(firstSequence: UInt32, maximumBytes: Int = maximumDatagramBytes) -> [Datagram] {
        var datagrams: [Datagram] = []
        var open: Datagram?
        func encoded(_ index: Int) -> [UInt8] {
            requests[index].encoder.finish(sequence: firstSequence &+ UInt32(truncatingIfNeeded: index))
        }
        for unit in units {
            if let transaction = unit.transaction {
                if let done = open.take() { datagrams.append(done) }
                var datagram = Datagram(requests: unit.requests, operation: transaction)
                for index in unit.requests { datagram.bytes += encoded(index) }
                datagrams.append(datagram)
                continue
            }
            let index = unit.requests.lowerBound
            let bytes = encoded(index)
            if var datagram = open, datagram.bytes.count + bytes.count <= maximumBytes {
                datagram.bytes += bytes
                datagram.requests = datagram.requests.lowerBound..<(index + 1)
                datagram.operation = requests[index].operation
                open = datagram
            } else {
                if let done = open.take() { datagrams.append(done) }
                open = Datagram(bytes: bytes, requests: index..<(index + 1), operation: requests[index].operation)
            }
            if requests[index].completion == .dump, let done = open.take() { datagrams.append(done) }
        }
        if let done = open.take() { datagrams.append(done) }
        return datagrams
    }
}
