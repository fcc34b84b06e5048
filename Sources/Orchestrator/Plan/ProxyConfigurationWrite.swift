import Foundation

/// An ALB node configuration file a plan creates or rewrites (atomically, before the node's
/// proxy starts or reloads), printed as `+ alb config NODE` or `~ alb config NODE: rules, targets`.
public struct ProxyConfigurationWrite: Sendable, Equatable, CustomStringConvertible {
    public let node: String
    public let path: String
    public let data: Data
    /// `nil` for a new file, else what differs, e.g. `["rules", "targets"]`.
    public let changedAspects: [String]?

    public init(node: String, path: String, data: Data, changedAspects: [String]?) {
        self.node = node
        self.path = path
        self.data = data
        self.changedAspects = changedAspects
    }

    public var description: String {
        guard let changedAspects else { return "+ alb config \(node)" }
        return "~ alb config \(node): \(changedAspects.joined(separator: ", "))"
    }
}
