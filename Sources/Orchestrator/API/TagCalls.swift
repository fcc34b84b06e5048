import AWSAPI

/// The tagging calls over the ``APITagStore``: ELBv2's `AddTags`, `RemoveTags`, `DescribeTags`
/// (by ARN) and EC2's `CreateTags`, `DeleteTags`, `DescribeTags` (by ID). A file-made EC2
/// object also carries its lbnet name as `Name`, unless a client set another.
struct TagCalls {
    let identity: AWSIdentity
    let store: APITagStore
    let model: DeploymentModel?

    private var resources: TaggableResources { TaggableResources(identity: identity, model: model) }

    // MARK: ELBv2

    func addTags(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("AddTags", known: ["ResourceArns.member.", "Tags.member."])
        let arns = try resourceArns(p)
        let tags = try ResourceTags.parse(p, prefix: "Tags.member.", service: .elbv2)
        guard !tags.isEmpty else { throw .validation("Tags must name at least one tag") }
        try store.add(tags, to: arns, service: .elbv2)
        return []
    }

    func removeTags(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("RemoveTags", known: ["ResourceArns.member.", "TagKeys.member."])
        let arns = try resourceArns(p)
        let keys = Set(p.members("TagKeys"))
        guard !keys.isEmpty else { throw .validation("TagKeys must name at least one tag key") }
        for key in keys { try ResourceTags.check(key: key, service: .elbv2) }
        try store.remove(from: arns) { key, _ in keys.contains(key) }
        return []
    }

    func describeELBv2Tags(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try p.refuseUnknown("DescribeTags", known: ["ResourceArns.member."])
        return [XMLNode.members("TagDescriptions", try resourceArns(p).map { arn in
            [.text("ResourceArn", arn), XMLNode.members("Tags", store.tags(of: arn).sorted.map { [.text("Key", $0.key), .text("Value", $0.value)] })]
        })]
    }

    /// `ResourceArns`: 1 to 20 ARNs, each of a load balancer, target group, listener or rule that exists.
    private func resourceArns(_ p: QueryParameters) throws(APIError) -> [String] {
        let arns = p.members("ResourceArns")
        guard (1...20).contains(arns.count) else { throw .validation("ResourceArns must name 1 to 20 resources, not \(arns.count)") }
        let resources = resources
        for arn in arns { try resources.requireELBv2(arn) }
        return arns
    }

    // MARK: EC2

    func createTags(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try EC2InstanceCalls.refuseUnknown(p, "CreateTags", known: ["ResourceId.", "Tag."])
        let ids = try resourceIds(p)
        let tags = try ResourceTags.parse(p, prefix: "Tag.", service: .ec2)
        guard !tags.isEmpty else { throw APIError("MissingParameter", "The request must contain the parameter Tag") }
        try store.add(tags, to: ids, service: .ec2)
        return [.text("return", "true")]
    }

    /// Removes the named keys (with a `Value`, only where the value is that), or every tag when
    /// no `Tag` is given, as EC2 does.
    func deleteTags(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try EC2InstanceCalls.refuseUnknown(p, "DeleteTags", known: ["ResourceId.", "Tag."])
        let ids = try resourceIds(p)
        let named = try p.structures("Tag.").map { tag throws(APIError) in
            let key = try tag.required("Key")
            try ResourceTags.check(key: key, service: .ec2)
            return (key: key, value: tag["Value"])
        }
        try store.remove(from: ids) { key, value in
            named.isEmpty || named.contains { $0.key == key && ($0.value == nil || $0.value == value) }
        }
        return [.text("return", "true")]
    }

    /// Every tag of every taggable EC2 resource, one item per tag, by resource ID and key.
    func describeEC2Tags(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try EC2InstanceCalls.refuseUnknown(p, "DescribeTags", known: ["Filter.", "MaxResults", "NextToken"])
        let filters = try EC2Filter.of(p, known: ["resource-id", "resource-type", "key", "value", "tag:"])
        var rows: [[XMLNode]] = []
        for (id, resource) in resources.resources.sorted(by: { $0.key < $1.key }) where !id.hasPrefix("arn:") {
            let tags = ec2Tags(of: id)
            for tag in tags.sorted where EC2Filter.matches(filters, [
                "resource-id": [id], "resource-type": [resource.type], "key": [tag.key], "value": [tag.value],
            ].merging(tags.sorted.map { ("tag:\($0.key)", [$0.value]) }) { a, _ in a }) {
                rows.append([.text("resourceId", id), .text("resourceType", resource.type), .text("key", tag.key), .text("value", tag.value)])
            }
        }
        let page = try APIPage(marker: p["NextToken"], size: p["MaxResults"], limit: 5...1000, sizeName: "MaxResults")
        let (shown, next) = page.slice(rows)
        return [.items("tagSet", shown)] + XMLNode.field("nextToken", next)
    }

    /// An EC2 resource's tags: its file name as `Name` (file-made objects), the stored tags on top.
    func ec2Tags(of id: String, resources: TaggableResources? = nil) -> ResourceTags {
        let name = (resources ?? self.resources).resources[id]?.nameTag
        return ResourceTags(name.map { ["Name": $0] } ?? [:]).merging(store.tags(of: id))
    }

    /// `ResourceId.N`: IDs of taggable resources that exist.
    private func resourceIds(_ p: QueryParameters) throws(APIError) -> [String] {
        let ids = p.ec2List("ResourceId")
        guard !ids.isEmpty else { throw APIError("MissingParameter", "The request must contain the parameter ResourceId") }
        let resources = resources
        for id in ids { try resources.requireEC2(id) }
        return ids
    }
}
