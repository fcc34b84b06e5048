import Foundation
import L7Proxy

/// The AWS identifiers lbnet gives its load balancers and target groups where AWS shows them
/// (access log lines and file names): one account, the region of the zones, and ARNs whose ids
/// are 16 hex digits derived from the names, so they stay the same from one `up` to the next.
public enum AWSIdentifiers {
    /// lbnet runs everything in one account: the placeholder account of AWS's documentation.
    public static let accountID = "123456789012"

    /// The region of an availability zone: its name without the final letter(s), as in AWS
    /// (`us-east-2a` is in `us-east-2`; lbnet's `local-1a` in `local-1`).
    public static func region(ofZone zone: String) -> String {
        var region = Substring(zone)
        while let last = region.last, last.isLetter, region.count > 1 { region = region.dropLast() }
        while region.hasSuffix("-"), region.count > 1 { region = region.dropLast() }
        return String(region)
    }

    public static func loadBalancerARN(name: String, region: String) -> LoadBalancerARN {
        LoadBalancerARN(region: region, accountID: accountID, name: name, id: id(of: "loadbalancer/app/\(name)"))
    }

    public static func targetGroupARN(name: String, region: String) -> String {
        "arn:aws:elasticloadbalancing:\(region):\(accountID):targetgroup/\(name)/\(id(of: "targetgroup/\(name)"))"
    }

    private static func id(of resource: String) -> String {
        ConfigurationDigest.of(Data(resource.utf8))
    }
}
