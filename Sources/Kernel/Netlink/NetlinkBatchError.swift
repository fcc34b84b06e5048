/// Every request of a batch that the kernel refused, in request order.
public struct NetlinkBatchError: Error, CustomStringConvertible {
    public let failures: [NetlinkError]

    public init(failures: [NetlinkError]) { self.failures = failures }

    public var description: String { failures.map(\.description).joined(separator: "\n") }
}
