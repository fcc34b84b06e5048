import Kernel

/// The IPVS changes of one NLB node namespace, sent as one netlink batch.
public struct IPVSStep: Sendable, Equatable, CustomStringConvertible {
    public let namespace: String
    public let node: String
    public let changes: [IPVSChange]

    public init(namespace: String, node: String, changes: [IPVSChange]) {
        self.namespace = namespace
        self.node = node
        self.changes = changes
    }

    public var description: String {
        "~ ipvs services of \(node) (in \(namespace))" + changes.map { "\n      \($0)" }.joined()
    }
}
