import AWSAPI

/// The IDs, ARNs and DNS names the API shows for the topology's objects, in AWS's formats,
/// from the registry's stable random parts; and the way back from an ARN or ID to a name.
struct APIIdentity: Sendable {
    let registry: APIResourceRegistry
    let region: String

    var accountId: String { registry.accountId }

    func id(_ kind: APIResourceRegistry.Kind, _ name: String) throws(APIError) -> String {
        do {
            return try registry.resource(kind, name).id
        } catch {
            throw .internalFailure("cannot record the identity of \(kind.rawValue) \(name): \(error)")
        }
    }

    func vpcId(_ name: String) throws(APIError) -> String { "vpc-" + (try id(.vpc, name)) }
    func subnetId(_ name: String) throws(APIError) -> String { "subnet-" + (try id(.subnet, name)) }
    func instanceId(_ name: String) throws(APIError) -> String { "i-" + (try id(.instance, name)) }

    private var elbPrefix: String { "arn:aws:elasticloadbalancing:\(region):\(accountId)" }

    static func typeSegment(_ balancer: StateFile.LoadBalancer) -> String { balancer.type == .application ? "app" : "net" }

    func loadBalancerArn(_ balancer: StateFile.LoadBalancer) throws(APIError) -> String {
        "\(elbPrefix):loadbalancer/\(Self.typeSegment(balancer))/\(balancer.name)/\(try id(.loadBalancer, balancer.name))"
    }

    func targetGroupArn(_ name: String) throws(APIError) -> String {
        "\(elbPrefix):targetgroup/\(name)/\(try id(.targetGroup, name))"
    }

    func listenerArn(_ balancer: StateFile.LoadBalancer, port: Int) throws(APIError) -> String {
        "\(elbPrefix):listener/\(Self.typeSegment(balancer))/\(balancer.name)/\(try id(.loadBalancer, balancer.name))/"
            + (try id(.listener, "\(balancer.name):\(port)"))
    }

    /// `NAME-ID.elb.REGION.amazonaws.com` for an NLB; `[internal-]NAME-DIGITS.REGION.elb.amazonaws.com`
    /// for an ALB, as AWS names them.
    func dnsName(_ balancer: StateFile.LoadBalancer) throws(APIError) -> String {
        let id = try id(.loadBalancer, balancer.name)
        if balancer.type == .network { return "\(balancer.name)-\(id).elb.\(region).amazonaws.com" }
        let digits = String((UInt64(id, radix: 16) ?? 0) % 10_000_000_000)
        return "\(balancer.scheme == .internal ? "internal-" : "")\(balancer.name)-\(digits).\(region).elb.amazonaws.com"
    }

    /// The hosted zone AWS gives load balancers of this type (us-east-1's; lbnet has no other).
    static func canonicalHostedZoneId(_ balancer: StateFile.LoadBalancer) -> String {
        balancer.type == .network ? "Z26RNL4JYFTOTI" : "Z35SXDOTRQ7X7K"
    }

    /// The name in an ELB ARN of `kind` (`loadbalancer`, `targetgroup`), if the ARN is one of
    /// this account's and region's.
    func name(inArn arn: String, kind: String) -> String? {
        guard arn.hasPrefix("\(elbPrefix):\(kind)/") else { return nil }
        let path = arn.dropFirst("\(elbPrefix):\(kind)/".count).split(separator: "/")
        switch kind {
        case "loadbalancer": return path.count == 3 ? String(path[1]) : nil
        case "targetgroup": return path.count == 2 ? String(path[0]) : nil
        default: return nil
        }
    }
}
