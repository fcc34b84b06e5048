import Crypto
import Foundation

/// The AWS identities of a topology's objects wherever AWS shows them (API answers, access log
/// lines and file names, metric dimensions): lbnet's one account and region, and IDs derived
/// from each object's kind and name, so they are the same in every `up`, plan and daemon.
public struct AWSIdentity: Sendable {
    /// lbnet runs everything in one account: the placeholder account of AWS's documentation.
    public static let accountId = "123456789012"
    /// The region lbnet answers as (signatures must be scoped to it).
    public static let region = "us-east-1"

    public init() {}

    public var accountId: String { Self.accountId }
    public var region: String { Self.region }

    /// `length` hex digits of SHA-256 over `kind/name`: stable, and distinct per object.
    static func id(_ kind: String, _ name: String, length: Int) -> String {
        SHA256.hash(data: Data("\(kind)/\(name)".utf8)).prefix((length + 1) / 2).map { String(format: "%02x", $0) }.joined()
            .prefix(length).description
    }

    /// An object the API created is named by its ID (`vpc-0123…`); a file-made one gets an ID
    /// derived from its name.
    public func vpcId(_ name: String) -> String { Self.isID(name, "vpc-") ? name : "vpc-" + Self.id("vpc", name, length: 17) }
    public func subnetId(_ name: String) -> String { Self.isID(name, "subnet-") ? name : "subnet-" + Self.id("subnet", name, length: 17) }

    /// `vpce-svc-` and 17 hex digits; an endpoint service the API created is named `svc-` and
    /// the same digits (state file names have at most 24 characters).
    public func endpointServiceId(_ name: String) -> String {
        "vpce-svc-" + (Self.isID(name, "svc-") ? String(name.dropFirst(4)) : Self.id("endpointservice", name, length: 17))
    }

    /// The name consumers use for an endpoint service: `com.amazonaws.vpce.REGION.vpce-svc-…`.
    public func endpointServiceName(_ name: String) -> String { "com.amazonaws.vpce.\(region).\(endpointServiceId(name))" }

    /// A new random ID of the `prefix-` and 17 hex digits shape, for an object the API creates.
    public static func newID(_ prefix: String) -> String {
        var random = SystemRandomNumberGenerator()
        return prefix + String((0..<17).map { _ in "0123456789abcdef".randomElement(using: &random)! })
    }

    static func isID(_ name: String, _ prefix: String) -> Bool {
        name.hasPrefix(prefix) && name.count == prefix.count + 17 && name.dropFirst(prefix.count).allSatisfy(\.isHexDigit)
    }
    /// An instance the API launched is named by its ID (`i-` and 17 hex digits).
    public func instanceId(_ name: String) -> String { Self.isID(name, "i-") ? name : "i-" + Self.id("instance", name, length: 17) }

    /// An ACM-style ARN for a certificate of the `certificates` section (its ID a UUID-shaped
    /// digest of the name).
    public func certificateArn(_ name: String) -> String {
        let digits = Array(Self.id("certificate", name, length: 32))
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }
        return "arn:aws:acm:\(region):\(accountId):certificate/\(parts.joined(separator: "-"))"
    }

    /// A security group the API created is named by its ID; a file-made one (or a VPC's
    /// `default`) gets an ID from its VPC and name.
    public func securityGroupId(_ name: String, vpc: String) -> String {
        Self.isID(name, "sg-") ? name : "sg-" + Self.id("securitygroup", "\(vpc)/\(name)", length: 17)
    }

    private var elbPrefix: String { "arn:aws:elasticloadbalancing:\(region):\(accountId)" }

    /// `app/NAME/ID` or `net/NAME/ID`: the load balancer's part of its ARN, the `elb` field of
    /// access log lines and CloudWatch's `LoadBalancer` dimension.
    public func loadBalancerResource(_ name: String, type: StateFile.LoadBalancerType) -> String {
        "\(type == .application ? "app" : "net")/\(name)/\(Self.id("loadbalancer", name, length: 16))"
    }

    public func loadBalancerArn(_ name: String, type: StateFile.LoadBalancerType) -> String {
        "\(elbPrefix):loadbalancer/\(loadBalancerResource(name, type: type))"
    }

    /// `targetgroup/NAME/ID`: CloudWatch's `TargetGroup` dimension.
    public func targetGroupResource(_ name: String) -> String { "targetgroup/\(name)/\(Self.id("targetgroup", name, length: 16))" }

    public func targetGroupArn(_ name: String) -> String { "\(elbPrefix):\(targetGroupResource(name))" }

    /// A listener's ARN: its `id` once it has one (its port changed), else derived from the
    /// load balancer and the port.
    public func listenerArn(_ balancer: StateFile.LoadBalancer, _ listener: StateFile.Listener) -> String {
        "\(elbPrefix):listener/\(loadBalancerResource(balancer.name, type: balancer.type))/"
            + (listener.id ?? Self.listenerId(balancer.name, port: listener.port))
    }

    /// The last part of the ARN of `balancer`'s listener on `port`, when it has no `id`.
    static func listenerId(_ balancer: String, port: Int) -> String { id("listener", "\(balancer):\(port)", length: 16) }

    /// `NAME-ID.elb.REGION.amazonaws.com` for an NLB; `[internal-]NAME-DIGITS.REGION.elb.amazonaws.com`
    /// for an ALB, as AWS names them.
    public func dnsName(_ balancer: StateFile.LoadBalancer) -> String {
        let id = Self.id("loadbalancer", balancer.name, length: 16)
        if balancer.type == .network { return "\(balancer.name)-\(id).elb.\(region).amazonaws.com" }
        let digits = String((UInt64(id, radix: 16) ?? 0) % 10_000_000_000)
        return "\(balancer.scheme == .internal ? "internal-" : "")\(balancer.name)-\(digits).\(region).elb.amazonaws.com"
    }

    /// The hosted zone AWS gives load balancers of this type in us-east-1.
    public static func canonicalHostedZoneId(_ type: StateFile.LoadBalancerType) -> String {
        type == .network ? "Z26RNL4JYFTOTI" : "Z35SXDOTRQ7X7K"
    }
}
