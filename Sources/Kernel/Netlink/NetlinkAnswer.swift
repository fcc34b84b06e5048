/// What the kernel answered to one request of an exchange: its data replies, and its error
/// when it refused the request (an errno the request counts as already done is no error).
public struct NetlinkAnswer: Sendable, Equatable {
    public let operation: String
    public internal(set) var replies: [NetlinkMessage] = []
    public internal(set) var error: NetlinkError?

    public init(operation: String, replies: [NetlinkMessage] = [], error: NetlinkError? = nil) {
        self.operation = operation
        self.replies = replies
        self.error = error
    }

    /// The data replies, or the error.
    public func get() throws(NetlinkError) -> [NetlinkMessage] {
        if let error { throw error }
        return replies
    }
}

extension Sequence where Element == NetlinkAnswer {
    /// Every refused request's error, in request order.
    public var failures: [NetlinkError] { compactMap(\.error) }
}
