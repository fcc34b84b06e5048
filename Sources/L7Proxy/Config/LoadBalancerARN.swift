/// The ARN of the load balancer a proxy serves, `arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/TYPE/NAME/ID`
/// (TYPE `app` for an ALB node, `net` for an NLB node's TLS terminator), and the parts access
/// logs name it by.
public struct LoadBalancerARN: Sendable, Equatable, CustomStringConvertible {
    public let region: String
    public let accountID: String
    /// `app/NAME/ID` (or `net/...`): the `elb` field of access log lines, and CloudWatch's `LoadBalancer` dimension.
    public let resourceID: String

    public init(region: String, accountID: String, name: String, id: String) {
        self.region = region
        self.accountID = accountID
        resourceID = "app/\(name)/\(id)"
    }

    /// Parses an ARN of an application or network load balancer; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1] == "aws", parts[2] == "elasticloadbalancing",
              !parts[3].isEmpty, parts[4].count == 12, parts[4].allSatisfy(\.isASCIIDigit),
              parts[5].hasPrefix("loadbalancer/app/") || parts[5].hasPrefix("loadbalancer/net/") else { return nil }
        let resource = parts[5].dropFirst("loadbalancer/".count)
        let pieces = resource.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 3, !pieces[1].isEmpty, !pieces[2].isEmpty else { return nil }
        region = String(parts[3])
        accountID = String(parts[4])
        resourceID = String(resource)
    }

    public var description: String {
        "arn:aws:elasticloadbalancing:\(region):\(accountID):loadbalancer/\(resourceID)"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
