import Foundation
import L7Proxy
import Logging
import Synchronization
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

    /// Writes `node`'s file as a plan's step does and returns the step.
    private func write(_ node: ApplicationLoadBalancerNode, to store: ProxyConfigurationStore) throws -> ProxyConfigurationWrite {
        let data = try node.configuration.encodedJSON()
        try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: true)
        try AtomicFile.write(data, to: store.configurationPath(node: node.name))
        return ProxyConfigurationWrite(node: node.name, path: store.configurationPath(node: node.name), data: data, changedAspects: [])
    }

    /// The node's report, asked without blocking a thread and with time for a loaded machine.
    private func report(_ node: String, in store: ProxyConfigurationStore) async -> ProxyNodeReport? {
        try? await ProxyControlClient(socketPath: store.controlSocketPath(node: node), timeout: .seconds(30))
            .exchange(.report, expecting: ProxyNodeReport.self).get()
    }

    @Test func rolloutHasTheProxyReloadAndReportsARefusal() async throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ProxyConfigurationStore(stateDirectory: StateDirectory(path: directory))
        let node = onLoopback(try ALBFixtures.nodes()[0])
        _ = try write(node, to: store)
        let runner = ProxyNodeRunner(configurationPath: store.configurationPath(node: node.name),
                                     controlSocketPath: store.controlSocketPath(node: node.name), logger: Logger(label: "test"),
                                     accessLog: .discard)
        let proxy = Task { try await runner.run() }
        defer { proxy.cancel() }

        let changed = onLoopback(node, idleTimeout: 30)
        try await ProxyConfigurationRollout(store: store, isRunning: { _ in true }).reload([try write(changed, to: store)])
        #expect((await report(node.name, in: store))?.configurationDigest == ConfigurationDigest.of(try changed.configuration.encodedJSON()))

        let refused = try write(onLoopback(node, idleTimeout: 0), to: store)
        await #expect(throws: ApplicationLoadBalancerConfigError.self) { try await ProxyConfigurationRollout(store: store, isRunning: { _ in true }).reload([refused]) }
        let afterRefusal = try #require(await report(node.name, in: store))
        #expect(afterRefusal.reloadError?.contains("idleTimeoutSeconds") == true)
        #expect(afterRefusal.configurationDigest == ConfigurationDigest.of(try changed.configuration.encodedJSON()))
    }

    @Test func rolloutFailsAtOnceWhenTheProxyIsNotRunning() async throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ProxyConfigurationStore(stateDirectory: StateDirectory(path: directory))
        let written = try write(try ALBFixtures.nodes()[0], to: store)
        let clock = ContinuousClock()
        let start = clock.now
        let log = try await notLoadedLog(ProxyConfigurationRollout(store: store, isRunning: { _ in false }, attempt: .milliseconds(100)), written)
        #expect(clock.now - start < .seconds(5), "a proxy that is not running is not waited for")
        #expect(log.contains("not running") && log.contains("web-alb-local-1a.sock") && log.contains("logs/web-alb-local-1a.log"), "\(log)")
    }

    @Test func rolloutWaitsForARunningProxyUpToTheLimitAndSaysHowToRaiseIt() async throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ProxyConfigurationStore(stateDirectory: StateDirectory(path: directory))
        let written = try write(try ALBFixtures.nodes()[0], to: store)
        let asked = Mutex(0)
        let rollout = ProxyConfigurationRollout(store: store, isRunning: { _ in asked.withLock { $0 += 1 }; return true },
                                                limit: .milliseconds(500), attempt: .milliseconds(100))
        let clock = ContinuousClock()
        let start = clock.now
        let log = try await notLoadedLog(rollout, written)
        #expect(clock.now - start >= .milliseconds(500), "a running proxy is waited for up to the limit, not one attempt")
        #expect(asked.withLock { $0 } >= 1, "the process was checked after a failed attempt")
        #expect(log.contains("without answering") && log.contains(WaitLimit.environmentVariable), "\(log)")
    }

    /// The log part of the `configurationNotLoaded` error `rollout` fails with.
    private func notLoadedLog(_ rollout: ProxyConfigurationRollout, _ written: ProxyConfigurationWrite) async throws -> String {
        do {
            try await rollout.reload([written])
        } catch let error as ApplicationLoadBalancerConfigError {
            guard case .configurationNotLoaded(let node, let log) = error else { throw error }
            #expect(node == "web-alb-local-1a")
            return log
        }
        Issue.record("the rollout returned without a proxy")
        return ""
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
