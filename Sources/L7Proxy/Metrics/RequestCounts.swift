/// The requests one node answered for one target group (or for none: fixed responses,
/// redirects, requests refused before routing): how many, the status classes the node itself
/// generated, those the targets generated, and how long targets took to answer.
public struct RequestCounts: Codable, Sendable, Equatable {
    /// The target group the request was routed to; `nil` when it was routed to none.
    public var targetGroup: String?
    /// Requests that got a response, from a target or from the node.
    public var requests = 0
    public var elb4xx = 0
    public var elb5xx = 0
    public var target2xx = 0
    public var target3xx = 0
    public var target4xx = 0
    public var target5xx = 0
    /// From sending the request to a target until its response head arrived, in seconds.
    public var targetResponseTime = ResponseTimeHistogram()

    public init(targetGroup: String?) { self.targetGroup = targetGroup }

    /// Counts one answered request: `elbStatus` when the node generated the response,
    /// `targetStatus` and `responseSeconds` when a target did.
    mutating func count(elbStatus: Int?, targetStatus: Int?, responseSeconds: Double?) {
        requests += 1
        if let targetStatus {
            switch targetStatus / 100 {
            case 2: target2xx += 1
            case 3: target3xx += 1
            case 4: target4xx += 1
            case 5: target5xx += 1
            default: break
            }
            if let responseSeconds { targetResponseTime.observe(responseSeconds) }
        } else if let elbStatus {
            switch elbStatus / 100 {
            case 4: elb4xx += 1
            case 5: elb5xx += 1
            default: break
            }
        }
    }

    /// Adds `other`'s counts (same target group) to these.
    mutating func add(_ other: RequestCounts) {
        requests += other.requests
        elb4xx += other.elb4xx
        elb5xx += other.elb5xx
        target2xx += other.target2xx
        target3xx += other.target3xx
        target4xx += other.target4xx
        target5xx += other.target5xx
        targetResponseTime.add(other.targetResponseTime)
    }
}
