import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct ProxyErrorResponseTests {
    @Test func awsStylePages() {
        #expect(ProxyErrorResponse.body(502).contains("<html>\r\n<head><title>502 Bad Gateway</title></head>"))
        #expect(ProxyErrorResponse.body(504).contains("<center><h1>504 Gateway Time-out</h1></center>"))
        #expect(ProxyErrorResponse.body(503).contains("<title>503 Service Temporarily Unavailable</title>"))
        let (head, body) = ProxyErrorResponse.response(503, version: .http1_1, close: true)
        #expect(head.status.code == 503)
        #expect(head.headers["Content-Length"] == [String(body.utf8.count)])
        #expect(head.headers["Connection"] == ["close"])
        #expect(head.headers["Content-Type"] == ["text/html"])
        #expect(ProxyErrorResponse.response(463, version: .http1_1, close: false).0.status.reasonPhrase == "Bad Request")
    }
}

@Suite struct AccessLogEntryTests {
    @Test func formatsAWSFieldsInOrder() {
        var entry = AccessLogEntry(
            time: Date(timeIntervalSince1970: 1_530_570_180.186641),
            requestCreationTime: Date(timeIntervalSince1970: 1_530_570_168.364),
            elb: "app/my-loadbalancer/50dc6c495c0c9188", client: "192.168.131.39:2817", target: "10.0.0.1:80",
            requestProcessingTime: 0, targetProcessingTime: 0.001, responseProcessingTime: 0,
            elbStatusCode: 200, targetStatusCode: 200, receivedBytes: 34, sentBytes: 366,
            request: AccessLogRequestLine("GET http://www.example.com:80/ HTTP/1.1"), userAgent: "curl/7.46.0",
            targetGroupARN: "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067",
            traceID: "Root=1-58337262-36d228ad5d99923122bbe354", matchedRulePriority: 0, actionsExecuted: ["forward"],
            connectionTraceID: "TID_1234abcd5678ef90"
        )
        #expect(entry.line == "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 "
            + "200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - - "
            + "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "
            + "\"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\" "
            + "\"10.0.0.1:80\" \"200\" \"-\" \"-\" TID_1234abcd5678ef90")

        entry.target = nil
        entry.requestProcessingTime = nil
        entry.elbStatusCode = 460
        entry.targetStatusCode = nil
        entry.userAgent = "say \"hi\"\n"
        entry.errorReason = "ClientClosedConnection"
        #expect(entry.line.contains(" - -1 0.001 0.000 460 - "))
        #expect(entry.line.contains("\"say \\x22hi\\x22\\x0a\""))
        #expect(entry.line.contains("\"ClientClosedConnection\" \"-\" \"-\""))
    }
}

@Suite struct TraceIDTests {
    @Test func awsFormat() {
        var generator = FixedGenerator(value: 0xABCD)
        #expect(TraceID.make(epochSeconds: 0x5833_7262, using: &generator) == "Root=1-58337262-0000abcd000000000000abcd")
        generator.value = .max
        #expect(TraceID.make(epochSeconds: 0x1_0000_0001, using: &generator) == "Root=1-00000001-ffffffffffffffffffffffff")
    }

    @Test func connectionTraceIDsAreTIDAndSixteenHexDigits() {
        var generator = FixedGenerator(value: 0xABCD)
        #expect(ConnectionTraceID.make(using: &generator) == "TID_000000000000abcd")
        generator.value = 0x1234_ABCD_5678_EF90
        #expect(ConnectionTraceID.make(using: &generator) == "TID_1234abcd5678ef90")
    }
}
