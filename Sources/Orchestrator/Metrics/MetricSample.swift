import L7Proxy

/// One value of a CloudWatch metric for one load balancer, availability zone and (for metrics
/// that have the dimension) target group, with CloudWatch's dimension values.
public struct MetricSample: Sendable, Equatable {
    public let metric: CloudWatchMetric
    public let loadBalancer: String
    public let targetGroup: String?
    public let availabilityZone: String
    public let value: Double

    public init(_ metric: CloudWatchMetric, loadBalancer: String, targetGroup: String? = nil, availabilityZone: String, value: Double) {
        self.metric = metric
        self.loadBalancer = loadBalancer
        self.targetGroup = metric.hasTargetGroup ? targetGroup : nil
        self.availabilityZone = availabilityZone
        self.value = value
    }

    /// The Prometheus labels: CloudWatch's dimension names.
    var labels: [(String, String)] {
        var labels = [("LoadBalancer", loadBalancer)]
        if let targetGroup { labels.append(("TargetGroup", targetGroup)) }
        labels.append(("AvailabilityZone", availabilityZone))
        return labels
    }
}

/// `TargetResponseTime` of one load balancer, availability zone and target group.
public struct ResponseTimeSample: Sendable, Equatable {
    public let loadBalancer: String
    public let targetGroup: String
    public let availabilityZone: String
    public let histogram: ResponseTimeHistogram

    public init(loadBalancer: String, targetGroup: String, availabilityZone: String, histogram: ResponseTimeHistogram) {
        self.loadBalancer = loadBalancer
        self.targetGroup = targetGroup
        self.availabilityZone = availabilityZone
        self.histogram = histogram
    }
}
