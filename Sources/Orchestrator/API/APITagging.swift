import AWSAPI

/// What tags add to the calls that create and describe. A create call's tags (ELBv2's
/// `Tags.member.N`, EC2's `TagSpecification.N`) are checked before the call runs (a bad tag
/// changes nothing) and stored on the new resource after it; EC2 answers get each resource's
/// tags in its `tagSet`, and EC2 describe calls take `tag:KEY` and `tag-key` filters.
struct APITagging {
    let calls: TagCalls

    /// ELBv2 calls that create: the answer's field holding the new resource's ARN.
    static let elbv2Creations = ["CreateLoadBalancer": "LoadBalancerArn", "CreateTargetGroup": "TargetGroupArn",
                                 "CreateListener": "ListenerArn", "CreateRule": "RuleArn"]

    /// EC2 calls that create: the `ResourceType` their tag specifications name and the answer's ID field.
    static let ec2Creations: [String: (type: String, idField: String)] = [
        "CreateVpc": ("vpc", "vpcId"), "CreateSubnet": ("subnet", "subnetId"), "RunInstances": ("instance", "instanceId"),
        "AllocateAddress": ("elastic-ip", "allocationId"), "CreateSecurityGroup": ("security-group", "groupId"),
        "CreateVpcEndpoint": ("vpc-endpoint", "vpcEndpointId"),
        "CreateVpcEndpointServiceConfiguration": ("vpc-endpoint-service", "serviceId"),
    ]

    /// Resource types a creation call also tags, beyond the one it creates, that lbnet never makes:
    /// AWS applies `RunInstances`' `volume` tags to the EBS volumes made at launch, and an lbnet
    /// instance has none (`DescribeVolumes` lists none). Such tags are checked like any others
    /// and then apply to nothing. The terraform provider sends them from `default_tags`.
    static let ec2LaunchedWithout: [String: Set<String>] = ["RunInstances": ["volume"]]

    /// EC2 describe calls whose items carry a `tagSet`: the items' ID field.
    static let ec2Listings = ["DescribeVpcs": "vpcId", "DescribeSubnets": "subnetId", "DescribeInstances": "instanceId",
                              "DescribeAddresses": "allocationId", "DescribeSecurityGroups": "groupId",
                              "DescribeVpcEndpoints": "vpcEndpointId", "DescribeVpcEndpointServiceConfigurations": "serviceId"]

    /// Runs `handle` with the call's parameters less what tagging takes, then tags and filters its answer.
    func answer(_ call: APICall, _ handle: (QueryParameters) async throws(APIError) -> [XMLNode]) async throws(APIError) -> [XMLNode] {
        var parameters = call.parameters
        var created = ResourceTags()
        var idField: String?
        var filters: [EC2Filter] = []
        switch call.service {
        case .elasticLoadBalancingV2:
            if let field = Self.elbv2Creations[call.action] {
                created = try ResourceTags.parse(parameters, prefix: "Tags.member.", service: .elbv2)
                parameters = parameters.removing { $0.hasPrefix("Tags.member.") }
                idField = field
            }
        case .ec2:
            if let creation = Self.ec2Creations[call.action] {
                created = try Self.specifiedTags(parameters, type: creation.type, action: call.action)
                parameters = parameters.removing { $0.hasPrefix("TagSpecification.") }
                idField = creation.idField
            } else if let field = Self.ec2Listings[call.action] {
                (parameters, filters) = try Self.takingTagFilters(parameters)
                idField = field
            }
        default:
            break
        }
        var answer = try await handle(parameters)
        guard let idField else { return answer }
        if !created.isEmpty {
            try calls.store.add(created, to: Self.texts(idField, in: answer), service: call.service == .ec2 ? .ec2 : .elbv2)
        }
        if call.service == .ec2 {
            let resources = TaggableResources(identity: calls.identity, model: calls.model)
            answer = Self.tagged(answer, idField: idField, filters: filters) { calls.ec2Tags(of: $0, resources: resources) }
        }
        return answer
    }

    /// The tags of `TagSpecification.N` for resources of `type`; another type is refused by name.
    static func specifiedTags(_ p: QueryParameters, type: String, action: String) throws(APIError) -> ResourceTags {
        var given: [(key: String?, value: String?)] = []
        let absent = ec2LaunchedWithout[action] ?? []
        for specification in p.structures("TagSpecification.") {
            let named = try specification.required("ResourceType")
            let tags = specification.structures("Tag.").map { (key: $0["Key"], value: $0["Value"]) }
            if absent.contains(named) {
                _ = try ResourceTags.parse(tags, service: .ec2)
                continue
            }
            guard named == type else {
                let allowed = ([type] + absent.sorted()).map { "'\($0)'" }.joined(separator: ", ")
                throw APIError("InvalidParameterValue", "lbnet does not tag '\(named)' resources in \(action); only \(allowed)")
            }
            given += tags
        }
        return try ResourceTags.parse(given, service: .ec2)
    }

    /// The parameters without their `tag:KEY` and `tag-key` filters, and those filters.
    static func takingTagFilters(_ p: QueryParameters) throws(APIError) -> (QueryParameters, [EC2Filter]) {
        var tagFilterPrefixes: [String] = []
        var filters: [EC2Filter] = []
        for (key, name) in p.values where key.hasPrefix("Filter.") && key.hasSuffix(".Name") && (name.hasPrefix("tag:") || name == "tag-key") {
            let prefix = String(key.dropLast("Name".count))
            tagFilterPrefixes.append(prefix)
            filters.append(EC2Filter(name: name, values: QueryParameters(p.values.filter { $0.key.hasPrefix(prefix) }
                .reduce(into: [:]) { $0[String($1.key.dropFirst(prefix.count))] = $1.value }).ec2List("Value")))
        }
        return (p.removing { key in tagFilterPrefixes.contains { key.hasPrefix($0) } }, filters)
    }

    /// Every text named `field`, once each, in document order.
    static func texts(_ field: String, in nodes: [XMLNode]) -> [String] {
        var found: [String] = []
        func visit(_ node: XMLNode) {
            switch node {
            case .text(let name, let value): if name == field, !found.contains(value) { found.append(value) }
            case .element(_, let children): children.forEach(visit)
            }
        }
        nodes.forEach(visit)
        return found
    }

    /// `nodes` with every element that holds `field` and a `tagSet` showing `tags(ID)` (on top of
    /// the tags it showed), less the list items whose tags fail `filters` (and the reservations
    /// left without instances).
    static func tagged(_ nodes: [XMLNode], idField: String, filters: [EC2Filter], tags: (String) -> ResourceTags) -> [XMLNode] {
        func rewrite(_ children: [XMLNode]) -> (children: [XMLNode], passes: Bool) {
            var children = children.compactMap { child -> XMLNode? in
                guard case .element(let name, let grandchildren) = child else { return child }
                let (rewritten, passes) = rewrite(grandchildren)
                if name == "item", !passes { return nil }
                if name == "item", grandchildren.contains(where: emptied(by: rewritten)) { return nil }
                return .element(name, rewritten)
            }
            let id = children.lazy.compactMap { node -> String? in if case .text(idField, let value) = node { value } else { nil } }.first
            guard let id, let index = children.firstIndex(where: { if case .element("tagSet", _) = $0 { true } else { false } }) else {
                return (children, true)
            }
            let shown = ResourceTags(Self.pairs(of: children[index])).merging(tags(id))
            children[index] = .items("tagSet", shown.sorted.map { [.text("key", $0.key), .text("value", $0.value)] })
            let fields = ["tag-key": shown.sorted.map(\.key)].merging(shown.sorted.map { ("tag:\($0.key)", [$0.value]) }) { a, _ in a }
            return (children, EC2Filter.matches(filters, fields))
        }
        return rewrite(nodes).children
    }

    /// Whether `original` is an `instancesSet` with items that filtering left empty in `rewritten`.
    private static func emptied(by rewritten: [XMLNode]) -> (XMLNode) -> Bool {
        { original in
            guard case .element("instancesSet", let items) = original, !items.isEmpty else { return false }
            return rewritten.contains(.element("instancesSet", []))
        }
    }

    private static func pairs(of tagSet: XMLNode) -> [String: String] {
        guard case .element(_, let items) = tagSet else { return [:] }
        var pairs: [String: String] = [:]
        for case .element(_, let fields) in items {
            var key: String?, value = ""
            for case .text(let name, let text) in fields {
                if name == "key" { key = text } else if name == "value" { value = text }
            }
            if let key { pairs[key] = value }
        }
        return pairs
    }
}

extension QueryParameters {
    /// These parameters less the keys `drop` names.
    func removing(_ drop: (String) -> Bool) -> QueryParameters { QueryParameters(values.filter { !drop($0.key) }) }
}
