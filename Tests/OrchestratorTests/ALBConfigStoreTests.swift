import Foundation
import L7Proxy
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
            let health = store.healthPath(node: "web-alb-local-1b")
            try Data("{}".utf8).write(to: URL(fileURLWithPath: health))
            let plan = try store.plan(Array(try ALBFixtures.nodes().prefix(1)))
            #expect(plan.changes == [ApplicationLoadBalancerConfigChange(node: "web-alb-local-1b", kind: .delete)])
            try plan.finish()
            #expect(store.storedNodes() == ["web-alb-local-1a"])
            #expect(!FileManager.default.fileExists(atPath: health))
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

    @Test func finishReportsANodeThatRefusesItsFile() throws {
        try withStore { store in
            let nodes = Array(try ALBFixtures.nodes().prefix(1))
            let plan = try store.plan(nodes)
            try plan.write()
            let data = try Data(contentsOf: URL(fileURLWithPath: store.configurationPath(node: nodes[0].name)))
            let report = ProxyNodeReport(nodeName: nodes[0].name, configurationDigest: "old",
                                         rejectedDigest: ConfigurationDigest.of(data), reloadError: "port 80 is in use", targets: [])
            try report.write(to: store.healthPath(node: nodes[0].name))
            #expect(throws: ApplicationLoadBalancerConfigError.configurationRefused(node: nodes[0].name, reason: "port 80 is in use")) {
                try plan.finish(timeout: 2)
            }
            try ProxyNodeReport(nodeName: nodes[0].name, configurationDigest: ConfigurationDigest.of(data), targets: [])
                .write(to: store.healthPath(node: nodes[0].name))
            try plan.finish(timeout: 2)
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

    @Test func healthFileSitsBesideTheConfiguration() {
        #expect(ProxyNodeReport.path(forConfiguration: "/s/alb/web-alb-local-1a.json") == "/s/alb/web-alb-local-1a.health.json")
        #expect(ProxyNodeReport.path(forConfiguration: "/etc/node.conf") == "/etc/node.conf.health.json")
        #expect(ConfigurationDigest.of(Data("a".utf8)) == ConfigurationDigest.of(Data("a".utf8)))
        #expect(ConfigurationDigest.of(Data("a".utf8)) != ConfigurationDigest.of(Data("b".utf8)))
        #expect(ConfigurationDigest.of(Data()).count == 16)
    }
}
