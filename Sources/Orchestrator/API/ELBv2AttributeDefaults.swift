/// The attributes ELBv2 lists for each kind of object, with the value each has when the state
/// file does not set it: AWS's default where lbnet behaves as that default says, else what
/// lbnet does (a TLS group's `preserve_client_ip.enabled` is `false`), from
/// ``NetworkAttributeCatalog`` and ``ApplicationAttributeCatalog``. Describe calls answer these merged
/// with the file's `attributes`; a Modify call only writes what differs.
enum ELBv2AttributeDefaults {
    static func loadBalancer(_ balancer: StateFile.LoadBalancer) -> [(String, String)] {
        switch balancer.type {
        case .application:
            ApplicationAttributeCatalog.defaults(.loadBalancer, .init(scheme: balancer.scheme, protocol: .http))
        case .network:
            NetworkAttributeCatalog.defaults(.loadBalancer, .init(scheme: balancer.scheme))
        }
    }

    static func targetGroup(_ group: StateFile.TargetGroup) -> [(String, String)] {
        let context = NetworkAttributeCatalog.Context(protocol: group.protocol, targetType: group.targetType)
        return group.protocol.isNetwork
            ? NetworkAttributeCatalog.defaults(.targetGroup, context)
            : ApplicationAttributeCatalog.defaults(.targetGroup, context)
    }

    static func listener(_ listener: StateFile.Listener) -> [(String, String)] {
        switch listener.protocol {
        case .http, .https:
            [("routing.http.response.server.enabled", "true")]
        default:
            NetworkAttributeCatalog.defaults(.listener, .init(protocol: listener.protocol))
        }
    }

    /// `defaults` with the file's values in place of theirs, in AWS's order, then any other key the file sets.
    static func merged(_ defaults: [(String, String)], _ set: [String: String]) -> [(String, String)] {
        defaults.map { key, value in (key, set[key] ?? value) }
            + set.filter { key, _ in !defaults.contains { $0.0 == key } }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
