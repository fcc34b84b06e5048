import Foundation
import L7Proxy
import NIOCore

/// The proxy configurations of a state directory (ALB nodes', NLB nodes' TLS terminators'), one
/// JSON file per node under `STATE/alb/`
/// (`<node>.json`, with the proxy's control socket `<node>.sock` beside it).
public struct ProxyConfigurationStore: Sendable {
    public let stateDirectory: StateDirectory

    public init(stateDirectory: StateDirectory) {
        self.stateDirectory = stateDirectory
    }

    /// The absolute directory of the files (proxies run with another working directory).
    public var path: String { stateDirectory.absolutePath + "/alb" }

    public func configurationPath(node: String) -> String { "\(path)/\(node).json" }

    /// Where the node's proxy listens for `reload` and `report` (see `ProxyControlClient`).
    public func controlSocketPath(node: String) -> String { "\(path)/\(node).sock" }

    /// What the node's proxy reports now; `nil` when it does not answer within `timeout`.
    /// Blocks the calling thread (for short-lived commands such as `status`).
    public func report(node: String, timeout: TimeAmount = .seconds(2)) -> ProxyNodeReport? {
        try? ProxyControlClient(socketPath: controlSocketPath(node: node), timeout: timeout)
            .exchange(.report, expecting: ProxyNodeReport.self).wait()
    }

    /// The nodes whose configuration files exist.
    public func storedNodes() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }.sorted()
    }

    /// The contents of every stored configuration file, by node.
    public func storedConfigurations() -> [String: Data] {
        Dictionary(uniqueKeysWithValues: storedNodes().compactMap { node in
            FileManager.default.contents(atPath: configurationPath(node: node)).map { (node, $0) }
        })
    }

    /// Removes every file of the directory, and the directory.
    public func removeAll() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
