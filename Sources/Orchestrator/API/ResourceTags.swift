import AWSAPI

/// Tags as a client sends them, checked against AWS's rules before anything changes: keys of
/// 1 to 128 characters not starting with `aws:` (reserved for AWS), values of at most 256, no
/// key twice in one call, at most 50 tags on a resource. ELBv2 and EC2 word the refusals
/// differently; ``Service`` picks the wording.
struct ResourceTags: Equatable, Sendable {
    /// The service whose error codes a refusal carries.
    enum Service: Sendable {
        case elbv2, ec2
    }

    /// AWS's limit of user tags on one resource.
    static let maximumPerResource = 50

    private(set) var pairs: [String: String] = [:]

    init(_ pairs: [String: String] = [:]) { self.pairs = pairs }

    /// `PREFIX1.Key`/`PREFIX1.Value`, `PREFIX2.Key`, ...: ELBv2's `Tags.member.` or EC2's `Tag.`.
    static func parse(_ p: QueryParameters, prefix: String, service: Service) throws(APIError) -> ResourceTags {
        try parse(p.structures(prefix).map { tag in (tag["Key"], tag["Value"]) }, service: service)
    }

    static func parse(_ given: [(key: String?, value: String?)], service: Service) throws(APIError) -> ResourceTags {
        var tags = ResourceTags()
        for (index, tag) in given.enumerated() {
            guard let key = tag.key else { throw refusal(service, "The tag key of tag \(index + 1) is missing") }
            let value = tag.value ?? ""
            try check(key: key, service: service)
            guard value.count <= 256 else {
                throw refusal(service, "The tag value of '\(key)' is \(value.count) characters long; it must be at most 256")
            }
            if tags.pairs[key] != nil {
                throw service == .elbv2 ? APIError("DuplicateTagKeys", "Tag key '\(key)' is duplicated")
                    : APIError("InvalidParameterValue", "Duplicate tag key '\(key)' specified.")
            }
            tags.pairs[key] = value
        }
        guard tags.pairs.count <= maximumPerResource else { throw tooMany(service) }
        return tags
    }

    /// A key a client may set or remove.
    static func check(key: String, service: Service) throws(APIError) {
        guard (1...128).contains(key.count) else {
            throw refusal(service, "The tag key '\(key.prefix(140))' is \(key.count) characters long; it must be 1 to 128")
        }
        guard !key.lowercased().hasPrefix("aws:") else {
            throw refusal(service, "Tag keys starting with 'aws:' are reserved for internal use")
        }
    }

    /// These tags with `other`'s on top (a key set again takes the new value, as on AWS).
    func merging(_ other: ResourceTags) -> ResourceTags { ResourceTags(pairs.merging(other.pairs) { _, new in new }) }

    /// Key and value, ordered by key.
    var sorted: [(key: String, value: String)] { pairs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    var isEmpty: Bool { pairs.isEmpty }

    static func tooMany(_ service: Service) -> APIError {
        service == .elbv2 ? APIError("TooManyTags", "The quota for the number of tags that can be assigned to a load balancer has been reached")
            : APIError("TagLimitExceeded", "The maximum number of tags (\(maximumPerResource)) for a resource has been reached")
    }

    private static func refusal(_ service: Service, _ message: String) -> APIError {
        APIError(service == .elbv2 ? "ValidationError" : "InvalidParameterValue", message)
    }
}
