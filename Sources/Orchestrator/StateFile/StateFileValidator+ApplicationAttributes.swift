extension StateFileValidator {
    private typealias Application = ApplicationAttributeCatalog

    /// The attributes of application load balancers and of `HTTP` and `HTTPS` target groups
    /// (``ApplicationAttributeCatalog``): names AWS knows for them, values AWS accepts,
    /// combinations AWS forbids, and values lbnet does not implement (named).
    mutating func validateApplicationAttributes() {
        for (position, balancer) in file.loadBalancers.enumerated() where balancer.type == .application {
            checkAttributes(balancer.attributes, .loadBalancer, Catalog.Context(scheme: balancer.scheme, protocol: .http),
                            of: Application.self, otherType: Catalog.self, at: Self.path("loadBalancers", position).key("attributes"),
                            reported: [])
        }
        for (position, group) in file.targetGroups.enumerated() where !group.protocol.isNetwork {
            let path = Self.path("targetGroups", position).key("attributes")
            let reported = checkApplicationGroupCombinations(group, at: path)
            checkAttributes(group.attributes, .targetGroup, Catalog.Context(protocol: group.protocol, targetType: group.targetType),
                            of: Application.self, otherType: Catalog.self, at: path, reported: reported)
        }
    }

    /// What AWS refuses in combination, and the application cookie's name; returns the keys reported.
    private mutating func checkApplicationGroupCombinations(_ group: StateFile.TargetGroup, at path: FieldPath) -> Set<String> {
        var reported: Set<String> = []
        func report(_ message: String, _ key: String) { self.report(message, key: key, under: path, noting: &reported) }
        let attributes = group.attributes
        let type = attributes[Application.stickinessType] ?? "lb_cookie"
        if ["source_ip", "source_ip_dest_ip", "source_ip_dest_ip_proto"].contains(type) {
            report("InvalidConfigurationRequest: Stickiness type '\(type)' is not supported for target groups with the "
                   + "\(group.protocol.rawValue) protocol", Application.stickinessType)
        }
        let cookieName = attributes[Application.appCookieName] ?? ""
        if let problem = Self.appCookieNameProblem(cookieName) {
            report(problem, Application.appCookieName)
        } else if type == "app_cookie", attributes[Application.stickinessEnabled] == "true", cookieName.isEmpty {
            report("\(Application.appCookieName) must name the application's cookie when \(Application.stickinessType) is app_cookie",
                   Application.appCookieName)
        }
        let algorithm = attributes[Application.algorithm] ?? "round_robin"
        if attributes[Application.anomalyMitigation] == "on", algorithm != "weighted_random" {
            report("\(Application.anomalyMitigation) is only available when \(Application.algorithm) is weighted_random",
                   Application.anomalyMitigation)
        }
        if let slowStart = attributes[Application.slowStart], slowStart != "0", algorithm == "least_outstanding_requests" {
            report("\(Application.slowStart) cannot be enabled with the least_outstanding_requests algorithm", Application.slowStart)
        }
        return reported
    }

    /// Why `name` cannot be an application cookie's name: a reserved prefix, or characters a
    /// cookie name (an RFC 6265 token) cannot hold.
    static func appCookieNameProblem(_ name: String) -> String? {
        if let prefix = Application.reservedCookiePrefixes.first(where: { name.hasPrefix($0) }) {
            return "\(Application.appCookieName) '\(name)' starts with \(prefix); the prefixes "
                + "\(Application.reservedCookiePrefixes.joined(separator: ", ")) are reserved for the load balancer"
        }
        let separators = Set("()<>@,;:\\\"/[]?={} \t")
        if !name.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 && !separators.contains(Character($0)) }) {
            return "\(Application.appCookieName) '\(name)' is not a cookie name (letters, digits and !#$%&'*+-.^_`|~)"
        }
        return nil
    }
}
