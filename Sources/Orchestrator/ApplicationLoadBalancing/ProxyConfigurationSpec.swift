import Foundation
import L7Proxy

/// The configuration file an ALB node's proxy must serve: its path and exact bytes.
public struct ProxyConfigurationSpec: Sendable, Equatable {
    public let node: String
    public let path: String
    public let configuration: ProxyConfiguration
    public let data: Data

    public init(node: String, path: String, configuration: ProxyConfiguration) throws {
        self.node = node
        self.path = path
        self.configuration = configuration
        do {
            data = try configuration.encodedJSON()
        } catch {
            throw ApplicationLoadBalancerConfigError.invalidNodeConfiguration(node: node, reason: "cannot encode: \(error)")
        }
    }
}
