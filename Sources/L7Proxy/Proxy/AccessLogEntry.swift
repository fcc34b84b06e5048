import Foundation

/// One request as an ALB access log line records it, with AWS's fields in AWS's order:
/// `type time elb client:port target:port request_processing_time target_processing_time
/// response_processing_time elb_status_code target_status_code received_bytes sent_bytes
/// "request" "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name"
/// "chosen_cert_arn" matched_rule_priority request_creation_time "actions_executed"
/// "redirect_url" "error_reason" "target:port_list" "target_status_code_list" "classification"
/// "classification_reason" conn_trace_id`. lbnet writes the target group's name where AWS
/// writes its ARN, and `app/<node name>` as `elb`.
public struct AccessLogEntry: Sendable, Equatable {
    /// When the response was completed (the `time` field).
    public var time: Date
    /// When the request head arrived (`request_creation_time`).
    public var requestCreationTime: Date
    public var nodeName: String
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
    public var request: String
    public var userAgent: String?
    public var targetGroup: String?
    public var traceID: String?
    /// The rule that decided: 1-50000, 0 for the default rule, -1 when none was evaluated.
    public var matchedRulePriority: Int
    /// Such as `forward`, `redirect`, `fixed-response`; empty when no action ran.
    public var actionsExecuted: [String]
    public var redirectURL: String?
    public var errorReason: String?

    public init(
        time: Date, requestCreationTime: Date, nodeName: String, client: String, target: String? = nil,
        requestProcessingTime: Double? = nil, targetProcessingTime: Double? = nil, responseProcessingTime: Double? = nil,
        elbStatusCode: Int? = nil, targetStatusCode: Int? = nil, receivedBytes: Int = 0, sentBytes: Int = 0,
        request: String, userAgent: String? = nil, targetGroup: String? = nil, traceID: String? = nil,
        matchedRulePriority: Int = -1, actionsExecuted: [String] = [], redirectURL: String? = nil, errorReason: String? = nil
    ) {
        self.time = time
        self.requestCreationTime = requestCreationTime
        self.nodeName = nodeName
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
        self.targetGroup = targetGroup
        self.traceID = traceID
        self.matchedRulePriority = matchedRulePriority
        self.actionsExecuted = actionsExecuted
        self.redirectURL = redirectURL
        self.errorReason = errorReason
    }

    /// The entry as one access log line.
    public var line: String {
        let fields: [String] = [
            "http",
            Self.timestamp(time),
            "app/\(nodeName)",
            client,
            target ?? "-",
            Self.seconds(requestProcessingTime),
            Self.seconds(targetProcessingTime),
            Self.seconds(responseProcessingTime),
            elbStatusCode.map(String.init) ?? "-",
            targetStatusCode.map(String.init) ?? "-",
            String(receivedBytes),
            String(sentBytes),
            Self.quoted(request),
            Self.quoted(userAgent),
            "-",
            "-",
            targetGroup ?? "-",
            Self.quoted(traceID),
            "\"-\"",
            "\"-\"",
            String(matchedRulePriority),
            Self.timestamp(requestCreationTime),
            Self.quoted(actionsExecuted.isEmpty ? nil : actionsExecuted.joined(separator: ",")),
            Self.quoted(redirectURL),
            Self.quoted(errorReason),
            Self.quoted(target),
            Self.quoted(targetStatusCode.map(String.init)),
            "\"-\"",
            "\"-\"",
            "-",
        ]
        return fields.joined(separator: " ")
    }

    /// `2018-07-02T22:23:00.186641Z`: UTC with microseconds.
    static func timestamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let pad = { (value: Int32, width: Int) in
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let micro = String(micros)
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: 6 - micro.count) + micro + "Z"
    }

    /// Seconds with millisecond precision, `-1` when unknown (AWS's convention).
    static func seconds(_ value: Double?) -> String {
        guard let value else { return "-1" }
        let millis = Int((max(0, value) * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// A double-quoted field, `"-"` when absent; quotes and backslashes inside are escaped.
    static func quoted(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "\"-\"" }
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"\(escaped)\""
    }
}
