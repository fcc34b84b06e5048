import Foundation
import Kernel
import L7Proxy
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Gathers the metrics of a state directory's applied topology at scrape time: each ALB node's
/// counters from its proxy (over its control socket, all nodes at once), each NLB node's from
/// its kernel datapath (on a thread of its own, so neither an event loop nor the runtime's
/// kernel thread waits on it), and NLB target health from the health monitor.
public final class MetricsCollector: Sendable {
    let deployment: Deployment
    let monitor: HealthMonitor
    let logger: Logger
    private let thread = NIOThreadPool(numberOfThreads: 1)
    /// The applied model and the file text it was resolved from: resolved again only when the
    /// file changed.
    private let applied = Mutex<(text: String, model: DeploymentModel)?>(nil)
    /// How long a proxy may take to answer.
    static let proxyTimeout = TimeAmount.seconds(2)

    public init(deployment: Deployment, monitor: HealthMonitor, logger: Logger) {
        self.deployment = deployment
        self.monitor = monitor
        self.logger = logger
        thread.start()
    }

    public func shutdown() async throws { try await thread.shutdownGracefully() }

    /// The whole exposition. What could not be read is left out and named in a comment line.
    public func exposition() async -> String {
        let network: (model: DeploymentModel?, samples: [MetricSample], problems: [String])
        do {
            network = try await thread.runIfActive { self.readNetworkLoadBalancers() }
        } catch {
            return "# lbnet: metrics unavailable: \(error)\n"
        }
        guard let model = network.model else { return "# lbnet: nothing applied yet\n" }
        var samples = network.samples
        var responseTimes: [ResponseTimeSample] = []
        var problems = network.problems
        var nodes: [ApplicationLoadBalancerNode] = []
        do {
            nodes = try model.applicationLoadBalancerNodes()
        } catch {
            problems.append("the ALB nodes: \(error)")
        }
        let store = deployment.proxyConfigurations
        let reports = await withTaskGroup(of: (ApplicationLoadBalancerNode, Result<ProxyMetricsReport, any Error>).self) { group in
            for node in nodes {
                let client = ProxyControlClient(socketPath: store.controlSocketPath(node: node.name), timeout: Self.proxyTimeout)
                group.addTask {
                    do { return (node, .success(try await client.metrics())) } catch { return (node, .failure(error)) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (node, result) in reports.sorted(by: { $0.0.name < $1.0.name }) {
            switch result {
            case .success(let report):
                let alb = ApplicationLoadBalancerMetrics.samples(loadBalancer: node.loadBalancer, report: report)
                samples += alb.samples
                responseTimes += alb.responseTimes
            case .failure(let error):
                problems.append("ALB node \(node.name): \(error)")
            }
        }
        for problem in problems { logger.debug("metrics left out", metadata: ["reason": "\(problem)"]) }
        let comments = problems.map { "# lbnet: left out: \($0.replacingOccurrences(of: "\n", with: " "))\n" }.joined()
        return comments + MetricsExposition.render(samples, responseTimes: responseTimes)
    }

    /// On the metrics thread: the applied model, and each NLB node's samples.
    private func readNetworkLoadBalancers() -> (model: DeploymentModel?, samples: [MetricSample], problems: [String]) {
        let model: DeploymentModel
        do {
            guard let current = try appliedModel() else { return (nil, [], []) }
            model = current
        } catch {
            return (nil, [], ["the applied state: \(error)"])
        }
        let health = monitor.record()
        var samples: [MetricSample] = []
        var problems: [String] = []
        for node in model.networkLoadBalancerNodes {
            let spec = NodeDatapathSpec(node: node, namespace: deployment.naming.hostNamespace(node.name),
                                        datapath: node.datapath.resolved(ipvsAvailable: IPVSAvailability.kernelHasIPVS))
            var counters: NetworkLoadBalancerNodeCounters?
            do {
                counters = try NetworkLoadBalancerCounterReader.read(spec)
            } catch {
                problems.append("NLB node \(node.name): \(error)")
            }
            samples += NetworkLoadBalancerMetrics.samples(node: node, counters: counters, health: health)
        }
        return (model, samples, problems)
    }

    private func appliedModel() throws -> DeploymentModel? {
        guard let text = try? String(contentsOfFile: deployment.appliedStatePath, encoding: .utf8) else { return nil }
        if let cached = applied.withLock({ $0 }), cached.text == text { return cached.model }
        guard let model = try deployment.appliedModel() else { return nil }
        applied.withLock { $0 = (model.text, model) }
        return model
    }
}
