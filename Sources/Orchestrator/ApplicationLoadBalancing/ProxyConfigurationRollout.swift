import L7Proxy
import NIOCore

/// Has each ALB node whose configuration file a plan wrote reload it over the node's control
/// socket, and waits for every answer, so `up` returns with the new rules in force. A proxy that
/// is still starting (its socket not there yet) is waited for up to `startLimit`.
struct ProxyConfigurationRollout {
    let store: ProxyConfigurationStore
    var startLimit: TimeAmount = .seconds(60)
    var answerLimit: TimeAmount = .seconds(30)

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
        let answer: ProxyReloadAnswer
        do {
            answer = try await ProxyControlClient(socketPath: store.controlSocketPath(node: write.node), timeout: answerLimit,
                                                  socketWait: startLimit).reload()
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
}
