/// A node configuration file `up` creates, rewrites or removes, printed with the kernel changes:
/// `+ alb config web-alb-local-1a`, `~ alb config web-alb-local-1a: rules, targets`,
/// `- alb config web-alb-local-1a`.
public struct ApplicationLoadBalancerConfigChange: Sendable, Equatable, CustomStringConvertible {
    /// What happens to the file.
    public enum Kind: Sendable, Equatable {
        case create
        /// `aspects` names what differs, e.g. `["rules", "targets"]`.
        case update(aspects: [String])
        case delete
    }

    public let node: String
    public let kind: Kind

    public init(node: String, kind: Kind) {
        self.node = node
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .create: "+ alb config \(node)"
        case .update(let aspects): "~ alb config \(node): \(aspects.joined(separator: ", "))"
        case .delete: "- alb config \(node)"
        }
    }
}
