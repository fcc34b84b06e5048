import Foundation
import L7Proxy
import Testing
@testable import Orchestrator

/// ALB node configuration files in the plan: written only when their bytes differ, with a
/// one-line summary of what changed, removed with their node; and the wait for proxies to
/// serve what was written.
@Suite struct ProxyConfigurationPlanningTests {
    private func fabric(_ yaml: String = ALBFixtures.stateFile) throws -> FabricSpec {
        var fabric = FabricSpec()
        for node in try ALBFixtures.nodes(yaml) {
            fabric.proxyConfigurations.append(try ProxyConfigurationSpec(node: node.name, path: "/s/alb/\(node.name).json",
                                                                         configuration: node.configuration))
        }
        return fabric
    }

    private func plan(_ desired: FabricSpec, files: [String: Data]) -> [String] {
        Planner.proxyConfigurationChanges(desired: desired, observed: KernelSnapshot(proxyConfigurations: files)).map(\.description)
    }

    @Test func newNodesAreCreatedAndUnchangedOnesLeftAlone() throws {
        let desired = try fabric()
        #expect(plan(desired, files: [:]) == ["+ alb config web-alb-local-1a", "+ alb config web-alb-local-1b"])
        let files = Dictionary(uniqueKeysWithValues: desired.proxyConfigurations.map { ($0.node, $0.data) })
        #expect(plan(desired, files: files).isEmpty)
    }

    @Test func changesAreSummarisedByWhatDiffers() throws {
        let files = Dictionary(uniqueKeysWithValues: try fabric().proxyConfigurations.map { ($0.node, $0.data) })
        let changed = ALBFixtures.stateFile
            .replacingOccurrences(of: "weight: 90", with: "weight: 50")
            .replacingOccurrences(of: "targets: [{id: web-a1}, {id: web-b1}]", with: "targets: [{id: web-a1}]")
        #expect(plan(try fabric(changed), files: files) == [
            "~ alb config web-alb-local-1a: rules, targets", "~ alb config web-alb-local-1b: rules, targets",
        ])
    }

    @Test func aFileEditedByHandIsWrittenAgain() throws {
        let desired = try fabric()
        var files = Dictionary(uniqueKeysWithValues: desired.proxyConfigurations.map { ($0.node, $0.data) })
        files["web-alb-local-1a"] = Data("not json".utf8)
        #expect(plan(desired, files: files) == ["~ alb config web-alb-local-1a: unreadable file replaced"])
        files["web-alb-local-1a"] = desired.proxyConfigurations[0].data + Data(" ".utf8)
        #expect(plan(desired, files: files) == ["~ alb config web-alb-local-1a: file rewritten"])
    }

    @Test func removedNodesLoseTheirFiles() throws {
        var desired = try fabric()
        let files = Dictionary(uniqueKeysWithValues: desired.proxyConfigurations.map { ($0.node, $0.data) })
        desired.proxyConfigurations.removeLast()
        let changes = Planner.proxyConfigurationChanges(desired: desired, observed: KernelSnapshot(proxyConfigurations: files))
        #expect(changes == [.removeProxyConfiguration(node: "web-alb-local-1b")])
    }

    @Test func rolloutReportsANodeThatRefusesItsFile() throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ProxyConfigurationStore(stateDirectory: StateDirectory(path: directory))
        try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: true)
        let spec = try fabric().proxyConfigurations[0]
        let write = ProxyConfigurationWrite(node: spec.node, path: store.configurationPath(node: spec.node), data: spec.data, changedAspects: nil)
        let report = ProxyNodeReport(nodeName: spec.node, configurationDigest: "old",
                                     rejectedDigest: ConfigurationDigest.of(spec.data), reloadError: "port 80 is in use", targets: [])
        try report.write(to: store.healthPath(node: spec.node))
        #expect(throws: ApplicationLoadBalancerConfigError.configurationRefused(node: spec.node, reason: "port 80 is in use")) {
            try ProxyConfigurationRollout(store: store).waitUntilServed([write], timeout: 2)
        }
        try ProxyNodeReport(nodeName: spec.node, configurationDigest: ConfigurationDigest.of(spec.data), targets: [])
            .write(to: store.healthPath(node: spec.node))
        try ProxyConfigurationRollout(store: store).waitUntilServed([write], timeout: 2)
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
