import Foundation
import L7Proxy

/// The ALB node configurations of a state directory, one JSON file per node under `STATE/alb/`
/// (`<node>.json`, with the proxy's `<node>.health.json` beside it).
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

    public func healthPath(node: String) -> String { ProxyNodeReport.path(forConfiguration: configurationPath(node: node)) }

    /// The nodes whose configuration files exist.
    public func storedNodes() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".health.json") }.map { String($0.dropLast(".json".count)) }.sorted()
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
/// `write()` before (so a proxy that starts finds its file), `finish()` after (wait until every
/// running proxy serves its new file, then remove the files of nodes that are gone).
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

    /// Waits until each written file is served by its node's proxy (it polls its file every
    /// 500 ms), then removes the files of removed nodes. Throws naming the node, with the
    /// proxy's reason or its log, when one refuses the file or does not load it in time.
    public func finish(timeout: TimeInterval = 15) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var waiting = writes
        while !waiting.isEmpty {
            var still: [Write] = []
            for write in waiting {
                let digest = ConfigurationDigest.of(write.data)
                let report = ProxyNodeReport.load(from: store.healthPath(node: write.node))
                if report?.configurationDigest == digest { continue }
                if let report, report.rejectedDigest == digest {
                    throw ApplicationLoadBalancerConfigError.configurationRefused(node: write.node, reason: report.reloadError ?? "unknown")
                }
                still.append(write)
            }
            waiting = still
            guard !waiting.isEmpty else { break }
            if Date() >= deadline {
                throw ApplicationLoadBalancerConfigError.configurationNotLoaded(
                    node: waiting[0].node, log: store.stateDirectory.logPath(process: waiting[0].node))
            }
            usleep(50_000)
        }
        for node in removals {
            unlink(store.configurationPath(node: node))
            unlink(store.healthPath(node: node))
        }
    }
}
