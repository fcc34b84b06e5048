import L7Proxy
import NIOCore

/// Has each ALB node whose configuration file a plan wrote reload it over the node's control
/// socket, and waits for every answer, so `up` returns with the new rules in force. Waits on
/// progress: while a node's proxy process runs (still starting, or slow on a loaded machine),
/// it is asked again; once it is not running, the rollout fails at once with its log. Only a
/// proxy that runs and never answers meets `limit`.
struct ProxyConfigurationRollout {
    let store: ProxyConfigurationStore
    /// Whether the named node's proxy process is running now.
    let isRunning: @Sendable (String) -> Bool
    var limit: Duration = WaitLimit.current
    /// How long one attempt waits for the socket, then for the answer, before the process is
    /// checked again.
    var attempt: TimeAmount = .seconds(10)

    /// Throws naming the node, with the proxy's reason or its log, when one refuses its file or
    /// does not load it.
    func reload(_ writes: [ProxyConfigurationWrite]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for write in writes {
                group.addTask { try await reload(write) }
            }
            try await group.waitForAll()
        }
    }

    private func reload(_ write: ProxyConfigurationWrite) async throws {
        let log = store.stateDirectory.logPath(process: write.node)
        let clock = ContinuousClock()
        let start = clock.now
        var answer: ProxyReloadAnswer?
        while answer == nil {
            do {
                answer = try await ProxyControlClient(socketPath: store.controlSocketPath(node: write.node), timeout: attempt,
                                                      socketWait: attempt).reload()
            } catch {
                guard isRunning(write.node) else {
                    throw ApplicationLoadBalancerConfigError.configurationNotLoaded(
                        node: write.node, log: "its proxy is not running (\(error)); see \(log)")
                }
                guard clock.now - start < limit else {
                    throw ApplicationLoadBalancerConfigError.configurationNotLoaded(
                        node: write.node,
                        log: "its proxy ran for \(limit) without answering (\(error)); \(WaitLimit.environmentVariable) raises the limit; see \(log)")
                }
            }
        }
        if let reason = answer?.error {
            throw ApplicationLoadBalancerConfigError.configurationRefused(node: write.node, reason: reason)
        }
        guard answer?.digest == ConfigurationDigest.of(write.data) else {
            throw ApplicationLoadBalancerConfigError.configurationNotLoaded(
                node: write.node, log: "it serves contents \(answer?.digest ?? ""), not the file written; see \(log)")
        }
    }
}
