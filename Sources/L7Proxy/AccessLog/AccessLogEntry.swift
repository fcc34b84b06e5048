import Foundation

/// One request as an ALB access log line records it, with AWS's fields in AWS's order:
/// `type time elb client:port target:port request_processing_time target_processing_time
/// response_processing_time elb_status_code target_status_code received_bytes sent_bytes
/// "request" "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name"
/// "chosen_cert_arn" matched_rule_priority request_creation_time "actions_executed"
/// "redirect_url" "error_reason" "target:port_list" "target_status_code_list" "classification"
/// "classification_reason" conn_trace_id` (30 fields; see docs/access-logs.md for what lbnet
/// writes in each).
public struct AccessLogEntry: Sendable, Equatable {
    /// The `type` field: `http`, `https` (HTTP/1 over TLS) or `h2` (HTTP/2 over TLS).
    public var type: String
    /// The `ssl_protocol` field (`TLSv1.2`, `TLSv1.3`) of HTTPS listeners' requests.
    public var sslProtocol: String?
    /// When the response was completed (the `time` field).
    public var time: Date
    /// When the request head arrived (`request_creation_time`).
    public var requestCreationTime: Date
    /// The load balancer's resource id, `app/NAME/ID`.
    public var elb: String
    /// `ip:port` of the client.
    public var client: String
    /// `ip:port` of the target, when one was chosen.
    public var target: String?
    /// Seconds from request arrival until it was sent to the target; nil when it never was.
    public var requestProcessingTime: Double?
    /// Seconds from sending to the target until its response head arrived.
    public var targetProcessingTime: Double?
    /// Seconds from the target's response head until the node began sending it on.
    public var responseProcessingTime: Double?
    /// What the node answered the client; nil when the client left before an answer.
    public var elbStatusCode: Int?
    /// What the target answered.
    public var targetStatusCode: Int?
    public var receivedBytes: Int
    public var sentBytes: Int
    /// `METHOD scheme://host:port/path?query HTTP/x.y`.
    public var request: AccessLogRequestLine
    public var userAgent: String?
    /// The target group's ARN.
    public var targetGroupARN: String?
    public var traceID: String?
    /// The rule that decided: 1-50000, 0 for the default rule, -1 when none was evaluated.
    public var matchedRulePriority: Int
    /// Such as `forward`, `redirect`, `fixed-response`; empty when no action ran.
    public var actionsExecuted: [String]
    public var redirectURL: String?
    public var errorReason: String?
    /// The client connection's id, `TID_` and 16 hex digits (`conn_trace_id`).
    public var connectionTraceID: String?
    /// The desync mitigation classification (`Acceptable`, `Ambiguous`, `Severe`); nil for
    /// compliant requests.
    public var classification: String?
    /// Why the request was classified so (AWS's classification reasons); nil for compliant requests.
    public var classificationReason: String?

    public init(
        time: Date, requestCreationTime: Date, elb: String, client: String, target: String? = nil,
        requestProcessingTime: Double? = nil, targetProcessingTime: Double? = nil, responseProcessingTime: Double? = nil,
        elbStatusCode: Int? = nil, targetStatusCode: Int? = nil, receivedBytes: Int = 0, sentBytes: Int = 0,
        request: AccessLogRequestLine, userAgent: String? = nil, targetGroupARN: String? = nil, traceID: String? = nil,
        matchedRulePriority: Int = -1, actionsExecuted: [String] = [], redirectURL: String? = nil, errorReason: String? = nil,
        connectionTraceID: String? = nil, type: String = "http", sslProtocol: String? = nil,
        classification: String? = nil, classificationReason: String? = nil
    ) {
        self.classification = classification
        self.classificationReason = classificationReason
        self.type = type
        self.sslProtocol = sslProtocol
        self.time = time
        self.requestCreationTime = requestCreationTime
        self.elb = elb
        self.client = client
        self.target = target
        self.requestProcessingTime = requestProcessingTime
        self.targetProcessingTime = targetProcessingTime
        self.responseProcessingTime = responseProcessingTime
        self.elbStatusCode = elbStatusCode
        self.targetStatusCode = targetStatusCode
        self.receivedBytes = receivedBytes
        self.sentBytes = sentBytes
        self.request = request
        self.userAgent = userAgent
        self.targetGroupARN = targetGroupARN
        self.traceID = traceID
        self.matchedRulePriority = matchedRulePriority
        self.actionsExecuted = actionsExecuted
        self.redirectURL = redirectURL
        self.errorReason = errorReason
        self.connectionTraceID = connectionTraceID
    }

    /// AWS truncates user agents longer than 8 KB.
    static let userAgentLimit = 8192

    /// The entry as one access log line.
    public var line: String {
        var line = AccessLogLine()
        append(to: &line)
        return line.text
    }

    /// Appends the entry's line, without a newline, to `line`.
    func append(to line: inout AccessLogLine) {
        line.append(type)
        line.append(" ")
        line.appendTimestamp(time)
        line.append(" ")
        line.append(elb)
        line.append(" ")
        line.append(client)
        line.append(" ")
        line.append(target ?? "-")
        line.append(" ")
        line.appendSeconds(requestProcessingTime)
        line.append(" ")
        line.appendSeconds(targetProcessingTime)
        line.append(" ")
        line.appendSeconds(responseProcessingTime)
        line.append(" ")
        line.appendNumber(elbStatusCode)
        line.append(" ")
        line.appendNumber(targetStatusCode)
        line.append(" ")
        line.appendNumber(receivedBytes)
        line.append(" ")
        line.appendNumber(sentBytes)
        line.append(" ")
        line.appendQuoted(request)
        line.append(" ")
        line.appendQuoted(userAgent, maxBytes: Self.userAgentLimit)
        line.append(" - ")
        line.append(sslProtocol ?? "-")
        line.append(" ")
        line.append(targetGroupARN ?? "-")
        line.append(" ")
        line.appendQuoted(traceID)
        line.append(" \"-\" \"-\" ")
        line.appendNumber(matchedRulePriority)
        line.append(" ")
        line.appendTimestamp(requestCreationTime)
        line.append(" ")
        line.appendQuoted(actionsExecuted.isEmpty ? nil : actionsExecuted.joined(separator: ","))
        line.append(" ")
        line.appendQuoted(redirectURL)
        line.append(" ")
        line.appendQuoted(errorReason)
        line.append(" ")
        line.appendQuoted(target)
        line.append(" ")
        if let targetStatusCode {
            line.append("\"")
            line.appendNumber(targetStatusCode)
            line.append("\"")
        } else {
            line.append("\"-\"")
        }
        line.append(" ")
        line.appendQuoted(classification)
        line.append(" ")
        line.appendQuoted(classificationReason)
        line.append(" ")
        line.append(connectionTraceID ?? "-")
    }
}
