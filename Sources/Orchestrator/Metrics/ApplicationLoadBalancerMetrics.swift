import Health
import L7Proxy

/// The `AWS/ApplicationELB` samples of one ALB node, from what its proxy counted.
enum ApplicationLoadBalancerMetrics {
    static func samples(loadBalancer name: String, report: ProxyMetricsReport,
                        identity: AWSIdentity = AWSIdentity()) -> (samples: [MetricSample], responseTimes: [ResponseTimeSample]) {
        let loadBalancer = identity.loadBalancerResource(name, type: .application)
        let zone = report.availabilityZone
        func sample(_ metric: CloudWatchMetric, _ value: Int, group: String? = nil) -> MetricSample {
            MetricSample(metric, loadBalancer: loadBalancer, targetGroup: group.map(identity.targetGroupResource),
                         availabilityZone: zone, value: Double(value))
        }
        var samples = [
            sample(.activeConnectionCount, report.activeConnections),
            sample(.newConnectionCount, report.newConnections),
            sample(.processedBytes, report.processedBytes),
            sample(.rejectedConnectionCount, report.rejectedConnections),
        ]
        var responseTimes: [ResponseTimeSample] = []
        for counts in report.requests {
            let group = counts.targetGroup
            samples += [
                sample(.requestCount, counts.requests, group: group),
                sample(.elb4xx, counts.elb4xx), sample(.elb5xx, counts.elb5xx),
            ]
            guard let group else { continue }
            samples += [
                sample(.target2xx, counts.target2xx, group: group), sample(.target3xx, counts.target3xx, group: group),
                sample(.target4xx, counts.target4xx, group: group), sample(.target5xx, counts.target5xx, group: group),
            ]
            responseTimes.append(ResponseTimeSample(loadBalancer: loadBalancer, targetGroup: identity.targetGroupResource(group),
                                                    availabilityZone: zone, histogram: counts.targetResponseTime))
        }
        for group in Set(report.targets.map(\.targetGroup)).sorted() {
            let states = report.targets.filter { $0.targetGroup == group && $0.availabilityZone == zone }.map(\.state)
            samples.append(sample(.healthyHostCount, states.count { $0 == .healthy }, group: group))
            samples.append(sample(.unHealthyHostCount, states.count { $0 == .unhealthy }, group: group))
        }
        return (samples, responseTimes)
    }
}
