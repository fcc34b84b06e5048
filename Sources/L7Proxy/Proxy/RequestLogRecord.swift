import Foundation
import NIOCore
import NIOHTTP1

/// What the node learns about one request while handling it, turned into an
/// ``AccessLogEntry`` when the exchange ends. A class: the exchange, the access log and the
/// metrics share one record instead of copying its strings at each hand-over. Confined to the
/// client connection's event loop.
final class RequestLogRecord {
    let receivedAt: NIODeadline
    let receivedDate: Date
    let client: String
    /// `METHOD scheme://host:port/target HTTP/x.y`, or `- - -` when the request was unreadable.
    let request: AccessLogRequestLine
    let userAgent: String?
    var traceID: String?
    var targetGroup: String?
    var target: String?
    var sentToTargetAt: NIODeadline?
    var responseHeadAt: NIODeadline?
    var elbStatusCode: Int?
    var targetStatusCode: Int?
    var receivedBytes = 0
    var sentBytes = 0
    var matchedRulePriority = -1
    var actionsExecuted: [String] = []
    var redirectURL: String?
    var errorReason: String?
    var connectionTraceID: String?
    /// The access log `type`: `http`, `https` or `h2`.
    let type: String
    /// The TLS version of an HTTPS listener's connection, as access logs name it.
    var sslProtocol: String?
    /// The desync guardian's classification of the request.
    var classification = DesyncClassification.compliant

    init(head: HTTPRequestHead, addresses: ClientAddresses, scheme: String) {
        type = scheme != "https" ? "http" : head.version.major == 2 ? "h2" : "https"
        receivedAt = .now()
        receivedDate = Date()
        client = addresses.clientHostPort
        request = AccessLogRequestLine(head: head, scheme: scheme, localIP: addresses.localIP, localPort: addresses.localPort)
        userAgent = head.headers.first(name: "User-Agent")
        receivedBytes = HTTPHeadSize.request(head)
    }

    /// A record for bytes that never formed a request head.
    init(unreadableFrom addresses: ClientAddresses) {
        receivedAt = .now()
        receivedDate = Date()
        client = addresses.clientHostPort
        request = .unreadable
        userAgent = nil
        type = "http"
    }

    func entry(naming: AccessLogNaming) -> AccessLogEntry {
        let seconds = { (from: NIODeadline?, to: NIODeadline?) -> Double? in
            guard let from, let to else { return nil }
            return Double((to - from).nanoseconds) / 1_000_000_000
        }
        return AccessLogEntry(
            time: Date(), requestCreationTime: receivedDate, elb: naming.elb, client: client, target: target,
            requestProcessingTime: seconds(receivedAt, sentToTargetAt),
            targetProcessingTime: seconds(sentToTargetAt, responseHeadAt),
            responseProcessingTime: responseHeadAt == nil ? nil : 0,
            elbStatusCode: elbStatusCode, targetStatusCode: targetStatusCode,
            receivedBytes: receivedBytes, sentBytes: sentBytes, request: request, userAgent: userAgent,
            targetGroupARN: targetGroup.map(naming.targetGroupARN), traceID: traceID, matchedRulePriority: matchedRulePriority,
            actionsExecuted: actionsExecuted, redirectURL: redirectURL, errorReason: errorReason,
            connectionTraceID: connectionTraceID, type: type, sslProtocol: sslProtocol,
            classification: classification.tier.logName, classificationReason: classification.logReason
        )
    }
}

/// Sizes of HTTP/1.1 heads as they travel on the wire, for the access log's byte counts.
enum HTTPHeadSize {
    static func request(_ head: HTTPRequestHead) -> Int {
        head.method.rawValue.utf8.count + head.uri.utf8.count + 12 + headers(head.headers)
    }

    static func response(_ head: HTTPResponseHead) -> Int {
        15 + head.status.reasonPhrase.utf8.count + headers(head.headers)
    }

    private static func headers(_ headers: HTTPHeaders) -> Int {
        headers.reduce(2) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
    }
}
