import Foundation
import L7Proxy
import Prometheus

/// Renders samples in the Prometheus text format (version 0.0.4): counters and gauges through
/// swift-prometheus's registry (one family per metric, with `# HELP` and `# TYPE`; samples with
/// the same labels add up), then `TargetResponseTime`, whose buckets were counted in the
/// proxies, rendered here as one histogram family.
public enum MetricsExposition {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ samples: [MetricSample], responseTimes: [ResponseTimeSample]) -> String {
        let registry = PrometheusCollectorRegistry()
        for sample in samples {
            let descriptor = MetricNameDescriptor(metricName: sample.metric.rawValue, unitName: "", helpText: sample.metric.help)
            switch sample.metric.kind {
            case .counter: registry.makeCounter(descriptor: descriptor, labels: sample.labels).increment(by: Int64(sample.value))
            case .gauge: registry.makeGauge(descriptor: descriptor, labels: sample.labels).increment(by: sample.value)
            case .histogram: preconditionFailure("\(sample.metric) is rendered from ResponseTimeSample")
            }
        }
        var text = registry.emitToString()
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        return text + renderResponseTimes(responseTimes)
    }

    /// The `TargetResponseTime` family: cumulative `_bucket` lines per `le`, `_sum`, `_count`.
    static func renderResponseTimes(_ samples: [ResponseTimeSample]) -> String {
        var merged: [[String]: (labels: [(String, String)], histogram: ResponseTimeHistogram)] = [:]
        for sample in samples {
            let labels = [("LoadBalancer", sample.loadBalancer), ("TargetGroup", sample.targetGroup), ("AvailabilityZone", sample.availabilityZone)]
            merged[labels.map(\.1), default: (labels, ResponseTimeHistogram())].histogram.add(sample.histogram)
        }
        guard !merged.isEmpty else { return "" }
        let metric = CloudWatchMetric.targetResponseTime
        var lines = ["# HELP \(metric.rawValue) \(metric.help)", "# TYPE \(metric.rawValue) histogram"]
        for key in merged.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let (labels, histogram) = merged[key]!
            let rendered = labels.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",")
            var cumulative = 0
            for (index, count) in histogram.buckets.enumerated() {
                cumulative += count
                let bound = index < ResponseTimeHistogram.upperBounds.count ? "\(ResponseTimeHistogram.upperBounds[index])" : "+Inf"
                lines.append("\(metric.rawValue)_bucket{\(rendered),le=\"\(bound)\"} \(cumulative)")
            }
            lines.append("\(metric.rawValue)_sum{\(rendered)} \(histogram.sum)")
            lines.append("\(metric.rawValue)_count{\(rendered)} \(histogram.count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A label value as the text format writes it: backslash, double quote and newline escaped.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
