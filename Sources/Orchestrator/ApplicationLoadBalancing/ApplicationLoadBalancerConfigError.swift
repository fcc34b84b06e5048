/// Why a load balancer node's proxy configuration (an ALB node's, or an NLB node's TLS
/// terminator's) could not be built from the state file or taken up by its proxy.
public enum ApplicationLoadBalancerConfigError: Error, Equatable, CustomStringConvertible {
    /// An attribute lbnet reads has a value it cannot use.
    case invalidAttribute(owner: String, key: String, value: String, expected: String)
    /// The generated proxy configuration failed the proxy's own checks.
    case invalidNodeConfiguration(node: String, reason: String)
    /// The node's proxy refused its new configuration file.
    case configurationRefused(node: String, reason: String)
    /// The node's proxy did not load its new configuration file; `log` says why and where to look.
    case configurationNotLoaded(node: String, log: String)

    public var description: String {
        switch self {
        case .invalidAttribute(let owner, let key, let value, let expected):
            "\(owner): attribute \(key): '\(value)' is not \(expected)"
        case .invalidNodeConfiguration(let node, let reason):
            "load balancer node \(node): \(reason)"
        case .configurationRefused(let node, let reason):
            "load balancer node \(node)'s proxy refused its new configuration: \(reason)"
        case .configurationNotLoaded(let node, let log):
            "load balancer node \(node)'s proxy did not load its new configuration: \(log)"
        }
    }
}
