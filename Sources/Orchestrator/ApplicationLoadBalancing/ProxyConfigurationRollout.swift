import Foundation

/// Waits until each ALB node serves the configuration file a plan wrote for it (its proxy
/// reports the file's digest once it serves it), so `up` returns with the new rules in force.
struct ProxyConfigurationRollout {
    let store: ProxyConfigurationStore

    /// Throws naming the node, with the proxy's reason or its log, when one refuses its file or
    /// does not load it in time.
    func waitUntilServed(_ writes: [ProxyConfigurationWrite], timeout: TimeInterval = 15) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var waiting = writes
        while !waiting.isEmpty {
            var still: [ProxyConfigurationWrite] = []
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
    }
}
