import ALBAccessLogParsing
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import L7Proxy

/// Access log files as a node writes them: AWS's names and layout, one line per request in
/// AWS's format, for each kind of answer.
@Suite struct AccessLogFileTests {
    static let loadBalancerArn = "arn:aws:elasticloadbalancing:local-1:123456789012:loadbalancer/app/web-alb/0123456789abcdef"
    static let webArn = "arn:aws:elasticloadbalancing:local-1:123456789012:targetgroup/web/00112233aabbccdd"

    @Test func eachKindOfRequestIsOneAWSLineInTheIntervalsFile() async throws {
        let directory = NSTemporaryDirectory() + "lbnet-access-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var harness = ProxyHarness()
        let ports = try await harness.startTargets(["web-1"])
        let closedPort = try await ProxyRoutingTests.unusedPort()
        var configuration = ProxyHarness.configuration(targetPorts: ports, extraGroups: [
            TargetGroupConfiguration(name: "empty", port: 8080, healthCheck: HealthCheckConfiguration(enabled: false), targets: []),
            TargetGroupConfiguration(name: "refusing", port: 8080, healthCheck: HealthCheckConfiguration(enabled: false),
                                     targets: [TargetConfiguration(address: "127.0.0.1", port: closedPort, availabilityZone: "az-a")]),
        ])
        for index in configuration.targetGroups.indices {
            configuration.targetGroups[index].arn = Self.webArn.replacingOccurrences(of: "/web/", with: "/\(configuration.targetGroups[index].name)/")
        }
        configuration.listeners[0].rules = [
            ListenerRule(priority: 10, conditions: [.pathPattern(["/fixed"])],
                         actions: [.fixedResponse(FixedResponseAction(statusCode: "200", contentType: "text/plain", messageBody: "ok"))]),
            ListenerRule(priority: 20, conditions: [.pathPattern(["/old"])],
                         actions: [.redirect(RedirectAction(statusCode: "HTTP_301", host: "new.example"))]),
            ListenerRule(priority: 30, conditions: [.pathPattern(["/none"])], actions: [.forward([WeightedTargetGroup(name: "empty")])]),
            ListenerRule(priority: 40, conditions: [.pathPattern(["/refused"])], actions: [.forward([WeightedTargetGroup(name: "refusing")])]),
        ]
        configuration.loadBalancerArn = Self.loadBalancerArn
        configuration.accessLog = AccessLogConfiguration(directory: directory + "/my-bucket/logs", nodeAddress: "10.0.1.253")
        try await harness.startProxy(configuration)

        let userAgent = "Mozilla/5.0 (X11; \"quoted\" \\ back)\tend"
        let requests: [(path: String, userAgent: String, status: Int)] = [
            ("/shop?item=1", "curl/8.0", 200), ("/fixed", "curl/8.0", 200), ("/old", "curl/8.0", 301),
            ("/none", "curl/8.0", 503), ("/refused", "curl/8.0", 502), ("/agent", userAgent, 200),
        ]
        let client = try await harness.connect()
        for request in requests {
            let raw = "GET \(request.path) HTTP/1.1\r\nHost: app.example\r\nUser-Agent: \(request.userAgent)\r\n\r\n"
            let response = try #require(try await client.exchange(raw))
            #expect(Int(response.status.code) == request.status)
        }
        await client.close()
        await harness.shutdown()

        let files = ALBAccessLogFiles.files(under: directory + "/my-bucket/logs")
        #expect(files.count == 1)
        let file = try #require(files.first)
        let relative = String(file.dropFirst((directory + "/my-bucket/logs/").count))
        let pattern = #/AWSLogs/123456789012/elasticloadbalancing/local-1/\d{4}/\d{2}/\d{2}/123456789012_elasticloadbalancing_local-1_app\.web-alb\.0123456789abcdef_\d{8}T\d{4}Z_10\.0\.1\.253_[a-z0-9]{8}\.log\.gz/#
        #expect(relative.wholeMatch(of: pattern) != nil, "\(relative)")
        let lines = try ALBAccessLogFiles.lines(of: file)
        #expect(lines == harness.accessLog.all)
        let records = try lines.map { line in try ALBAccessLogRecord(parsing: line) }
        try #require(records.count == requests.count)
        for (record, request) in zip(records, requests) {
            #expect(record["elb"] == "app/web-alb/0123456789abcdef")
            #expect(record["elb_status_code"] == String(request.status))
            #expect(record["request"] == "GET http://app.example:\(harness.proxyPort)\(request.path) HTTP/1.1")
            #expect(record["user_agent"] == request.userAgent)
            #expect(record["ssl_cipher"] == "-" && record["domain_name"] == "-" && record["classification"] == "-")
            #expect(record["conn_trace_id"] == records[0]["conn_trace_id"], "one connection, one conn_trace_id")
        }
        #expect(records[0]["target_group_arn"] == Self.webArn)
        #expect(records[0]["target:port"] == "127.0.0.1:\(ports[0])" && records[0]["target:port_list"] == "127.0.0.1:\(ports[0])")
        #expect(records[0]["target_status_code"] == "200" && records[0]["target_status_code_list"] == "200")
        #expect(records[0]["actions_executed"] == "forward" && records[0]["matched_rule_priority"] == "0")
        #expect(records[1]["actions_executed"] == "fixed-response" && records[1]["target:port"] == "-")
        #expect(records[1]["matched_rule_priority"] == "10" && records[1]["target_status_code"] == "-")
        #expect(records[2]["actions_executed"] == "redirect")
        #expect(records[2]["redirect_url"] == "http://new.example:\(harness.proxyPort)/old")
        #expect(records[3]["target_group_arn"].hasSuffix(":targetgroup/empty/00112233aabbccdd") && records[3]["target:port"] == "-")
        #expect(records[3]["request_processing_time"] == "-1")
        #expect(records[4]["error_reason"] == "TargetConnectionError" && records[4]["target_status_code"] == "-")
    }

    @Test func fileNamesFollowAWS() {
        let arn = LoadBalancerARN(Self.loadBalancerArn)!
        // 2014-02-15T23:37:10Z lies in the interval 23:35-23:40.
        let time = Date(timeIntervalSince1970: 1_392_507_430)
        let end = AccessLogFileName.intervalEnd(containing: time)
        #expect(end == 1_392_507_600)
        #expect(AccessLogFileName.intervalEnd(containing: Date(timeIntervalSince1970: 1_392_507_600)) == 1_392_507_900)
        let name = AccessLogFileName(loadBalancer: arn, nodeAddress: "10.0.1.253", intervalEnd: end, random: "20sg8hgm")
        #expect(name.relativePath == "AWSLogs/123456789012/elasticloadbalancing/local-1/2014/02/15/"
            + "123456789012_elasticloadbalancing_local-1_app.web-alb.0123456789abcdef_20140215T2340Z_10.0.1.253_20sg8hgm.log.gz")
        var generator = SystemRandomNumberGenerator()
        #expect(AccessLogFileName.randomString(using: &generator).wholeMatch(of: #/[a-z0-9]{8}/#) != nil)
    }

    @Test func loadBalancerARNsParseAndPrint() {
        let arn = LoadBalancerARN(Self.loadBalancerArn)
        #expect(arn?.region == "local-1" && arn?.accountID == "123456789012" && arn?.resourceID == "app/web-alb/0123456789abcdef")
        #expect(arn?.description == Self.loadBalancerArn)
        #expect(LoadBalancerARN("arn:aws:elasticloadbalancing:local-1:123456789012:loadbalancer/net/web-nlb/0123")?.resourceID == "net/web-nlb/0123")
        #expect(LoadBalancerARN("arn:aws:elasticloadbalancing:local-1:123456789012:loadbalancer/gwy/web-gwlb/0123") == nil)
        #expect(LoadBalancerARN("arn:aws:elasticloadbalancing:local-1:1234:loadbalancer/app/web-alb/0123") == nil)
    }

    @Test func accessLogSettingsAreValidated() {
        var configuration = ProxyHarness.configuration(targetPorts: [8080])
        configuration.accessLog = AccessLogConfiguration(directory: "relative/dir", nodeAddress: "not-an-address")
        #expect(throws: ProxyConfigurationError.invalid(problems: [
            "accessLog: needs loadBalancerArn (it names the files)",
            "accessLog.directory: \"relative/dir\" is not an absolute path",
            "accessLog.nodeAddress: \"not-an-address\" is not an IPv4 address",
        ])) { try configuration.validate() }
        configuration.loadBalancerArn = "arn:aws:s3:::bucket"
        configuration.accessLog = nil
        #expect(throws: ProxyConfigurationError.invalid(problems: [
            "loadBalancerArn: \"arn:aws:s3:::bucket\" is not a load balancer ARN",
        ])) { try configuration.validate() }
    }
}

/// The writer's buffer is bounded: while the file cannot be written, lines beyond the limit are
/// dropped, never queued without end.
@Suite struct AccessLogBufferTests {
    @Test func linesBeyondTheBufferLimitAreDropped() async throws {
        let directory = NSTemporaryDirectory() + "lbnet-access-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let files = AccessLogFiles(logger: Logger(label: "test"), bufferLimit: 100, threadPool: pool)
        files.configure(ProxyConfiguration(
            nodeName: "alb-a", availabilityZone: "az-a", listeners: [], targetGroups: [],
            loadBalancerArn: AccessLogFileTests.loadBalancerArn,
            accessLog: AccessLogConfiguration(directory: directory, nodeAddress: "10.0.1.253")))
        // Hold the pool's only thread, so nothing is written while the lines arrive.
        let release = DispatchSemaphore(value: 0)
        pool.submit { _ in release.wait() }
        let now = Date()
        let lines = (0..<10).map { "line \($0) " + String(repeating: "x", count: 20) }  // 28 bytes and a newline each
        for line in lines { files.write(line, at: now) }
        release.signal()
        await files.flush()
        let file = try #require(ALBAccessLogFiles.files(under: directory).first)
        #expect(try ALBAccessLogFiles.lines(of: file) == Array(lines.prefix(3)))
        try await pool.shutdownGracefully()
    }
}
