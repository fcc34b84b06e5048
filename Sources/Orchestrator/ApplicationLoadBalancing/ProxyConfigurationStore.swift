import Foundation
import L7Proxy
import NIOCore

/// The ALB node configurations of a state directory, one JSON file per node under `STATE/alb/`
/// (`<node>.json`, with the proxy's control socket `<node>.sock` beside it).
public struct ProxyConfigurationStore: Sendable {
    public let stateDirectory: StateDirectory

    public init(stateDirectory: StateDirectory) {
        self.stateDirectory = stateDirectory
    }

    /// The absolute directory of the files (proxies run with another working directory).
    public var path: String {
        let base = stateDirectory.path.hasPrefix("/")
            ? stateDirectory.path : FileManager.default.currentDirectoryPath + "/" + stateDirectory.path
        return base + "/alb"
    }

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

    /// What making the files match `nodes` takes; nothing is written here.
    public func plan(_ nodes: [ApplicationLoadBalancerNode]) throws -> ProxyConfigurationPlan {
        var changes: [ApplicationLoadBalancerConfigChange] = []
        var writes: [ProxyConfigurationPlan.Write] = []
        for node in nodes {
            let data: Data
            do {
                data = try node.configuration.encodedJSON()
            } catch {
                throw ApplicationLoadBalancerConfigError.invalidNodeConfiguration(node: node.name, reason: "cannot encode: \(error)")
            }
            let path = configurationPath(node: node.name)
            let write = ProxyConfigurationPlan.Write(node: node.name, path: path, data: data)
            guard let existing = FileManager.default.contents(atPath: path) else {
                changes.append(.init(node: node.name, kind: .create))
                writes.append(write)
                continue
            }
            guard existing != data else { continue }
            let aspects = (try? ProxyConfiguration.decode(existing, source: path))
                .map { ProxyConfigurationDiff.aspects(from: $0, to: node.configuration) } ?? ["unreadable file replaced"]
            changes.append(.init(node: node.name, kind: .update(aspects: aspects)))
            writes.append(write)
        }
        let wanted = Set(nodes.map(\.name))
        let removed = storedNodes().filter { !wanted.contains($0) }
        changes += removed.map { .init(node: $0, kind: .delete) }
        return ProxyConfigurationPlan(store: self, changes: changes, writes: writes, removals: removed)
    }

    /// Removes every file of the directory, and the directory.
    public func removeAll() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The configuration files `up` writes and removes, in two steps around the kernel changes:
/// `write()` before (so a proxy that starts finds its file), `finish()` after (have every
/// running proxy reload its new file, then remove the files of nodes that are gone).
public struct ProxyConfigurationPlan: Sendable {
    struct Write: Sendable {
        let node: String
        let path: String
        let data: Data
    }

    let store: ProxyConfigurationStore
    public let changes: [ApplicationLoadBalancerConfigChange]
    let writes: [Write]
    let removals: [String]

    /// Writes each new or changed file atomically.
    public func write() throws {
        guard !writes.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: true)
        for write in writes {
            try AtomicFile.write(write.data, to: write.path)
        }
    }

    /// Asks each written node's proxy to reload its file over its control socket and waits for
    /// the answer (a proxy still starting is waited for up to `startLimit`), then removes the
    /// files of removed nodes. Throws naming the node, with the proxy's reason or its log, when
    /// one refuses the file or does not load it. Blocks the calling thread (`up` is a command).
    public func finish(startLimit: TimeAmount = .seconds(30), answerLimit: TimeAmount = .seconds(15)) throws {
        let reloads = writes.map { write in
            (write, ProxyControlClient(socketPath: store.controlSocketPath(node: write.node), timeout: answerLimit, socketWait: startLimit)
                .exchange(.reload, expecting: ProxyReloadAnswer.self))
        }
        for (write, reload) in reloads {
            let log = store.stateDirectory.logPath(process: write.node)
            let answer: ProxyReloadAnswer
            do {
                answer = try reload.wait()
            } catch {
                throw ApplicationLoadBalancerConfigError.configurationNotLoaded(node: write.node, log: "\(error); see \(log)")
            }
            if let reason = answer.error {
                throw ApplicationLoadBalancerConfigError.configurationRefused(node: write.node, reason: reason)
            }
            guard answer.digest == ConfigurationDigest.of(write.data) else {
                throw ApplicationLoadBalancerConfigError.configurationNotLoaded(
                    node: write.node, log: "it serves contents \(answer.digest), not the file written; see \(log)")
            }
        }
        for node in removals {
            unlink(store.configurationPath(node: node))
        }
    }
}
