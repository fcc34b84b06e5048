import Foundation
import L7Proxy
import Logging
import Testing
@testable import Orchestrator

/// The node configuration files under `STATE/alb/`: written only when their contents differ,
/// with a one-line summary of what changed, and removed with their node.
@Suite struct ALBConfigStoreTests {
    private func withStore(_ body: (ProxyConfigurationStore) throws -> Void) throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(ProxyConfigurationStore(stateDirectory: StateDirectory(path: directory)))
    }

    @Test func newNodesAreCreatedAndUnchangedOnesLeftAlone() throws {
        try withStore { store in
            let nodes = try ALBFixtures.nodes()
            let first = try store.plan(nodes)
            #expect(first.changes.map(\.description) == ["+ alb config web-alb-local-1a", "+ alb config web-alb-local-1b"])
            try first.write()
            let path = store.configurationPath(node: "web-alb-local-1a")
            #expect(try ProxyConfiguration.load(contentsOf: path) == nodes[0].configuration)
            #expect(store.storedNodes() == ["web-alb-local-1a", "web-alb-local-1b"])

            let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
            let again = try store.plan(nodes)
            #expect(again.changes.isEmpty)
            try again.write()
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == inode)
        }
    }

    @Test func changesAreSummarisedByWhatDiffers() throws {
        try withStore { store in
            try store.plan(try ALBFixtures.nodes()).write()
            let changed = ALBFixtures.stateFile
                .replacingOccurrences(of: "weight: 90", with: "weight: 50")
                .replacingOccurrences(of: "targets: [{id: web-a1}, {id: web-b1}]", with: "targets: [{id: web-a1}]")
            let plan = try store.plan(try ALBFixtures.nodes(changed))
            #expect(plan.changes.map(\.description) == [
                "~ alb config web-alb-local-1a: rules, targets", "~ alb config web-alb-local-1b: rules, targets",
            ])
        }
    }

    @Test func removedNodesLoseTheirFiles() throws {
        try withStore { store in
            try store.plan(try ALBFixtures.nodes()).write()
            let plan = try store.plan(Array(try ALBFixtures.nodes().prefix(1)))
            #expect(plan.changes == [ApplicationLoadBalancerConfigChange(node: "web-alb-local-1b", kind: .delete)])
            try plan.finish()
            #expect(store.storedNodes() == ["web-alb-local-1a"])
        }
    }

    @Test func anUnreadableFileIsReplaced() throws {
        try withStore { store in
            try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: true)
            try Data("not json".utf8).write(to: URL(fileURLWithPath: store.configurationPath(node: "web-alb-local-1a")))
            let plan = try store.plan(try ALBFixtures.nodes())
            #expect(plan.changes.first?.description == "~ alb config web-alb-local-1a: unreadable file replaced")
        }
    }

    /// `node` with its listeners moved to loopback port 0 and no targets, so a test proxy can
    /// serve it without sending anything off loopback.
    private func onLoopback(_ node: ApplicationLoadBalancerNode, idleTimeout: Int = 60) -> ApplicationLoadBalancerNode {
        var configuration = node.configuration
        for index in configuration.listeners.indices {
            configuration.listeners[index].address = "127.0.0.1"
            configuration.listeners[index].port = 0
        }
        for index in configuration.targetGroups.indices {
            configuration.targetGroups[index].targets = []
        }
        configuration.idleTimeoutSeconds = idleTimeout
        return ApplicationLoadBalancerNode(loadBalancer: node.loadBalancer, host: node.host, configuration: configuration)
    }

    @Test func finishHasTheProxyReloadAndReportsARefusal() async throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ProxyConfigurationStore(stateDirectory: StateDirectory(path: directory))
        let node = onLoopback(try ALBFixtures.nodes()[0])
        try store.plan([node]).write()
        let runner = ProxyNodeRunner(configurationPath: store.configurationPath(node: node.name),
                                     controlSocketPath: store.controlSocketPath(node: node.name), logger: Logger(label: "test"),
                                     accessLog: .discard)
        let proxy = Task { try await runner.run() }
        defer { proxy.cancel() }

        let changed = onLoopback(node, idleTimeout: 30)
        let reload = try store.plan([changed])
        try reload.write()
        try reload.finish()
        #expect(store.report(node: node.name)?.configurationDigest == ConfigurationDigest.of(try changed.configuration.encodedJSON()))

        let refused = try store.plan([onLoopback(node, idleTimeout: 0)])
        try refused.write()
        #expect(throws: ApplicationLoadBalancerConfigError.self) { try refused.finish() }
        let report = try #require(store.report(node: node.name))
        #expect(report.reloadError?.contains("idleTimeoutSeconds") == true)
        #expect(report.configurationDigest == ConfigurationDigest.of(try changed.configuration.encodedJSON()))
    }

    @Test func finishNamesANodeWhoseProxyNeverListens() throws {
        try withStore { store in
            let plan = try store.plan(Array(try ALBFixtures.nodes().prefix(1)))
            try plan.write()
            do {
                try plan.finish(startLimit: .milliseconds(200))
                Issue.record("finish returned without a proxy")
            } catch let error as ApplicationLoadBalancerConfigError {
                guard case .configurationNotLoaded(let node, let log) = error else { throw error }
                #expect(node == "web-alb-local-1a")
                #expect(log.contains("web-alb-local-1a.sock") && log.contains("logs/web-alb-local-1a.log"), "\(log)")
            }
        }
    }

    @Test func diffNamesEachAspect() throws {
        let base = try #require(try ALBFixtures.nodes().first?.configuration)
        var changed = base
        changed.idleTimeoutSeconds = 30
        changed.listeners[0].port = 8080
        changed.targetGroups[0].algorithm = .leastOutstandingRequests
        changed.targetGroups[0].healthCheck.path = "/ping"
        #expect(ProxyConfigurationDiff.aspects(from: base, to: changed) == ["timeouts", "listeners", "target groups", "health checks"])
        #expect(ProxyConfigurationDiff.aspects(from: base, to: base).isEmpty)
    }

    @Test func controlSocketSitsBesideTheConfiguration() {
        let store = ProxyConfigurationStore(stateDirectory: StateDirectory(path: "/s"))
        #expect(store.controlSocketPath(node: "web-alb-local-1a") == "/s/alb/web-alb-local-1a.sock")
        #expect(ConfigurationDigest.of(Data("a".utf8)) == ConfigurationDigest.of(Data("a".utf8)))
        #expect(ConfigurationDigest.of(Data("a".utf8)) != ConfigurationDigest.of(Data("b".utf8)))
        #expect(ConfigurationDigest.of(Data()).count == 16)
    }
}
