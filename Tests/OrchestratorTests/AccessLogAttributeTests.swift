import Foundation
import L7Proxy
import Testing

@testable import Orchestrator

/// `access_logs.s3.*`: AWS's rules, each refusal naming its attribute, and where enabled logs go.
@Suite struct AccessLogAttributeTests {
    static func alb(_ attributes: String, type: String = "application") -> String {
        network + """
            loadBalancers:
              - name: web-alb
                type: \(type)
                subnets: [subnet-1a, subnet-1b]
                attributes: \(attributes)
            """
    }

    @Test func anEnabledLogNeedsABucket() {
        #expect(issueDescriptions(Self.alb(#"{access_logs.s3.enabled: "true"}"#)) == [
            "state.yaml:23: loadBalancers[0].attributes[\"access_logs.s3.bucket\"]: a bucket is required when access_logs.s3.enabled is true",
        ])
        #expect(issueDescriptions(Self.alb(#"{access_logs.s3.enabled: "yes"}"#)) == [
            "state.yaml:23: loadBalancers[0].attributes[\"access_logs.s3.enabled\"]: 'yes' is not true or false",
        ])
    }

    @Test func bucketNamesFollowS3() {
        let refused = [
            "ab": "it must be 3-63 characters long",
            "My-Logs": "it may hold only lowercase letters, digits, '.' and '-'",
            "-logs": "it must begin and end with a letter or digit",
            "my..logs": "it must not hold two adjacent periods",
            "192.168.5.4": "it must not be formatted as an IP address",
            "xn--logs": "it must not start with 'xn--'",
            "logs-s3alias": "it must not end with '-s3alias'",
        ]
        for (bucket, reason) in refused {
            #expect(issueDescriptions(Self.alb(#"{access_logs.s3.enabled: "true", access_logs.s3.bucket: "\#(bucket)"}"#)) == [
                "state.yaml:23: loadBalancers[0].attributes[\"access_logs.s3.bucket\"]: '\(bucket)' is not a valid bucket name: \(reason)",
            ])
        }
        #expect(issueDescriptions(Self.alb(#"{access_logs.s3.enabled: "true", access_logs.s3.bucket: my-logs.example-1}"#)).isEmpty)
    }

    @Test func prefixesFollowAWSAndStayInsideTheBucket() {
        let refused = [
            "/logs": "must not start with '/'",
            "logs/AWSLogs": "must not include 'AWSLogs'",
            "logs/../..": "has an empty, '.' or '..' part between slashes (lbnet makes each part a directory)",
            "logs//x": "has an empty, '.' or '..' part between slashes (lbnet makes each part a directory)",
        ]
        for (prefix, reason) in refused {
            let attributes = #"{access_logs.s3.enabled: "true", access_logs.s3.bucket: my-logs, access_logs.s3.prefix: "\#(prefix)"}"#
            #expect(issueDescriptions(Self.alb(attributes)) == [
                "state.yaml:23: loadBalancers[0].attributes[\"access_logs.s3.prefix\"]: '\(prefix)' \(reason)",
            ])
        }
    }

    @Test func networkLoadBalancersWriteNoAccessLogs() {
        let yaml = network + """
            loadBalancers:
              - name: web-nlb
                type: network
                subnets: [subnet-1a]
                attributes: {access_logs.s3.enabled: "true", access_logs.s3.bucket: my-logs}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:23: loadBalancers[0].attributes[\"access_logs.s3.enabled\"]: lbnet writes access logs for application load balancers only",
        ])
    }

    @Test func enabledLogsGoUnderTheStateDirectoryWithTheNodesNames() throws {
        let directory = try ALBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stateFile = directory + "/state.yaml"
        let yaml = ALBFixtures.stateFile.replacingOccurrences(
            of: #"attributes: {idle_timeout.timeout_seconds: "120"}"#,
            with: #"attributes: {idle_timeout.timeout_seconds: "120", access_logs.s3.enabled: "true", access_logs.s3.bucket: my-logs, access_logs.s3.prefix: web/prod}"#)
        try yaml.write(toFile: stateFile, atomically: true, encoding: .utf8)
        let deployment = Deployment(directory: StateDirectory(path: directory + "/state"), prefix: "lbnet-u", executable: "/bin/lbnet")
        let specs = try deployment.prepare(.file(stateFile), health: HealthRecord()).fabric.proxyConfigurations
        let node = try #require(specs.first { $0.node == "web-alb-local-1a" }).configuration
        #expect(node.accessLog == AccessLogConfiguration(directory: directory + "/state/access-logs/my-logs/web/prod", nodeAddress: "10.0.1.254"))
        let arn = try #require(node.loadBalancerArn.flatMap(LoadBalancerARN.init))
        #expect(arn.region == AWSIdentity.region && arn.accountID == AWSIdentity.accountId)
        #expect(arn.resourceID == AWSIdentity().loadBalancerResource("web-alb", type: .application))
        #expect(node.targetGroups.allSatisfy { $0.arn == AWSIdentity().targetGroupArn($0.name) })

        let without = try Deployment(directory: StateDirectory(path: directory + "/other"), prefix: "lbnet-u", executable: "/bin/lbnet")
            .fabric(for: ALBFixtures.model(), draining: [], health: HealthRecord(), ipvsAvailable: false).proxyConfigurations
        #expect(without.allSatisfy { $0.configuration.accessLog == nil })
    }

}
