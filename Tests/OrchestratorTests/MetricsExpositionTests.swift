import Foundation
import Health
import L7Proxy
import Testing
@testable import Orchestrator

/// CloudWatch names and labels of the samples, and the exposition they render to, parsed back
/// as a Prometheus scraper reads the text format.
@Suite struct MetricsExpositionTests {
    static func report() -> ProxyMetricsReport {
        var api = RequestCounts(targetGroup: "api")
        api.requests = 5
        api.target2xx = 4
        api.target5xx = 1
        api.targetResponseTime.buckets[0] = 3
        api.targetResponseTime.buckets[ResponseTimeHistogram.upperBounds.count] = 2
        api.targetResponseTime.sum = 200.01
        var none = RequestCounts(targetGroup: nil)
        none.requests = 2
        none.elb4xx = 1
        let target = { (zone: String, state: TargetHealth.State) in
            TargetHealthReport(targetGroup: "api", id: "i-\(zone)", address: "10.0.1.1", port: 80, availabilityZone: zone,
                               state: state, reason: nil, description: nil)
        }
        return ProxyMetricsReport(nodeName: "web-a", availabilityZone: "az-a", activeConnections: 3, newConnections: 9,
                                  processedBytes: 1234, requests: [none, api],
                                  targets: [target("az-a", .healthy), target("az-a", .unhealthy), target("az-b", .healthy)])
    }

    static let web = AWSIdentity().loadBalancerResource("web", type: .application)
    static let api = AWSIdentity().targetGroupResource("api")

    @Test func dimensionsAreCloudWatchs() {
        #expect(Self.web.range(of: #"^app/web/[0-9a-f]{16}$"#, options: .regularExpression) != nil, "\(Self.web)")
        #expect(Self.api.range(of: #"^targetgroup/api/[0-9a-f]{16}$"#, options: .regularExpression) != nil, "\(Self.api)")
        #expect(AWSIdentity().loadBalancerResource("edge", type: .network).hasPrefix("net/edge/"))
    }

    @Test func applicationSamplesUseCloudWatchNamesAndDimensions() {
        let (samples, times) = ApplicationLoadBalancerMetrics.samples(loadBalancer: "web", report: Self.report())
        func value(_ metric: CloudWatchMetric, group: String?) -> Double? {
            samples.first { $0.metric == metric && $0.targetGroup == group }?.value
        }
        #expect(samples.allSatisfy { $0.loadBalancer == Self.web && $0.availabilityZone == "az-a" })
        #expect(value(.requestCount, group: Self.api) == 5)
        #expect(value(.requestCount, group: nil) == 2)
        #expect(value(.target2xx, group: Self.api) == 4)
        #expect(value(.target5xx, group: Self.api) == 1)
        #expect(samples.filter { $0.metric == .elb4xx }.map(\.value).reduce(0, +) == 1)
        #expect(samples.allSatisfy { $0.metric != .elb4xx || $0.targetGroup == nil }, "HTTPCode_ELB_4XX_Count has no TargetGroup dimension")
        #expect(value(.processedBytes, group: nil) == 1234)
        // Only the targets in the node's own zone, as that node sees them.
        #expect(value(.healthyHostCount, group: Self.api) == 1)
        #expect(value(.unHealthyHostCount, group: Self.api) == 1)
        #expect(times.map(\.targetGroup) == [Self.api])
    }

    @Test func expositionIsValidPrometheusText() throws {
        let (samples, times) = ApplicationLoadBalancerMetrics.samples(loadBalancer: "web", report: Self.report())
        let nlb = MetricSample(.newFlowCount, loadBalancer: "net/edge", availabilityZone: "az-a", value: 7)
        let text = MetricsExposition.render(samples + [nlb, nlb], responseTimes: times + times)
        let parsed = try ExpositionParser.parse(text)
        #expect(parsed.types["RequestCount"] == "counter")
        #expect(parsed.types["HealthyHostCount"] == "gauge")
        #expect(parsed.types["TargetResponseTime"] == "histogram")
        #expect(parsed.value("RequestCount", ["LoadBalancer": Self.web, "TargetGroup": Self.api, "AvailabilityZone": "az-a"]) == 5)
        #expect(parsed.value("RequestCount", ["LoadBalancer": Self.web, "AvailabilityZone": "az-a"]) == 2)
        // Samples with the same labels add up: two readings of the same node.
        #expect(parsed.value("NewFlowCount", ["LoadBalancer": "net/edge", "AvailabilityZone": "az-a"]) == 14)
        let labels = ["LoadBalancer": Self.web, "TargetGroup": Self.api, "AvailabilityZone": "az-a"]
        #expect(parsed.value("TargetResponseTime_bucket", labels.merging(["le": "0.005"]) { $1 }) == 6)
        #expect(parsed.value("TargetResponseTime_bucket", labels.merging(["le": "60.0"]) { $1 }) == 6)
        #expect(parsed.value("TargetResponseTime_bucket", labels.merging(["le": "+Inf"]) { $1 }) == 10)
        #expect(parsed.value("TargetResponseTime_count", labels) == 10)
        #expect(parsed.value("TargetResponseTime_sum", labels) == 400.02)
    }

    @Test func listenAddressParses() throws {
        #expect(try MetricsListenAddress(parsing: "off") == .off)
        #expect(try MetricsListenAddress(parsing: "127.0.0.1:0") == .listen(host: "127.0.0.1", port: 0))
        #expect(try MetricsListenAddress(parsing: "localhost:9464") == .default)
        #expect(throws: MetricsListenError.self) { try MetricsListenAddress(parsing: "127.0.0.1") }
        #expect(throws: MetricsListenError.self) { try MetricsListenAddress(parsing: "example.com:80") }
        #expect(throws: MetricsListenError.self) { try MetricsListenAddress(parsing: "127.0.0.1:65536") }
        #expect(MetricsListenAddress.listen(host: "127.0.0.1", port: 0).isServed(by: "http://127.0.0.1:4711/metrics"))
        #expect(MetricsListenAddress.default.isServed(by: "http://127.0.0.1:9464/metrics"))
        #expect(!MetricsListenAddress.default.isServed(by: "http://127.0.0.1:94640/metrics"))
        #expect(!MetricsListenAddress.off.isServed(by: "http://127.0.0.1:9464/metrics"))
    }
}

/// Reads the Prometheus text format strictly: every sample's family has one `# TYPE` line,
/// before its samples; a family's lines are not interleaved with another's; no sample repeats.
struct ExpositionParser {
    struct Invalid: Error, CustomStringConvertible { let description: String }

    var types: [String: String] = [:]
    var samples: [String: Double] = [:]

    static func parse(_ text: String) throws -> ExpositionParser {
        var parsed = ExpositionParser()
        var finished: Set<String> = []
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            let fields = line.split(separator: " ", maxSplits: 3)
            if line.hasPrefix("# TYPE ") {
                let family = String(fields[2])
                guard parsed.types[family] == nil else { throw Invalid(description: "second TYPE for \(family)") }
                parsed.types[family] = String(fields[3])
                if let current { finished.insert(current) }
                current = family
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let brace = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else {
                throw Invalid(description: "sample without labels: \(line)")
            }
            let name = String(line[..<brace])
            guard name.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*$"#, options: .regularExpression) != nil else {
                throw Invalid(description: "bad metric name \(name)")
            }
            let family = parsed.types[name] != nil ? name
                : ["_bucket", "_sum", "_count"].compactMap { name.hasSuffix($0) ? String(name.dropLast($0.count)) : nil }.first ?? name
            guard parsed.types[family] != nil, family == current, !finished.contains(family) else {
                throw Invalid(description: "sample of \(family) outside its family block")
            }
            guard let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)) else {
                throw Invalid(description: "bad value in \(line)")
            }
            let key = name + "{" + labels(String(line[line.index(after: brace)..<close])).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
            guard parsed.samples[key] == nil else { throw Invalid(description: "repeated sample \(key)") }
            parsed.samples[key] = value
        }
        return parsed
    }

    static func labels(_ text: String) -> [String: String] {
        var labels: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
        }
        return labels
    }

    func value(_ name: String, _ labels: [String: String]) -> Double? {
        samples[name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"]
    }
}
