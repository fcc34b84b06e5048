import Foundation
import Kernel
import L7Proxy

/// What `status` shows of one node's `lbnet proxy` (an ALB node, or an NLB node's TLS
/// terminator): its process, and whether it serves the configuration file written for it.
struct ProxyProcessState {
    /// `running`, `restarting` (the daemon will start it again) or `stopped`.
    let process: String
    let pid: Int32?
    /// `loaded`, `reloading`, `refused: <reason>`, or `-` when the proxy did not report.
    let configuration: String
    let report: ProxyNodeReport?

    /// `running, loaded`.
    var summary: String { "\(pid.map { "running (pid \($0))" } ?? process), \(configuration)" }
}

extension Deployment {
    /// The state of node `node`'s proxy, asking it over its control socket when it runs.
    func proxyState(node: String, supervised: [String: SupervisedProcess], supervisorUp: Bool) -> ProxyProcessState {
        let store = proxyConfigurations
        let running = supervised[node].flatMap(\.pid).flatMap { ProcessLauncher.isRunning($0) ? $0 : nil }
        let report = running == nil ? nil : store.report(node: node)
        return ProxyProcessState(process: running != nil ? "running" : (supervisorUp ? "restarting" : "stopped"), pid: running,
                                 configuration: Self.configurationState(report, file: store.configurationPath(node: node)),
                                 report: report)
    }

    private static func configurationState(_ report: ProxyNodeReport?, file: String) -> String {
        guard let report, let data = FileManager.default.contents(atPath: file) else { return "-" }
        let digest = ConfigurationDigest.of(data)
        if report.configurationDigest == digest { return "loaded" }
        if report.rejectedDigest == digest { return "refused: \(report.reloadError ?? "unknown")" }
        return "reloading"
    }
}
