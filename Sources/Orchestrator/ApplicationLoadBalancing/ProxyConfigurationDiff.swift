import L7Proxy

/// Names what differs between two node configurations, in a fixed order: `node`, `timeouts`,
/// `listeners`, `rules`, `target groups`, `health checks`, `targets`.
enum ProxyConfigurationDiff {
    static func aspects(from old: ProxyConfiguration, to new: ProxyConfiguration) -> [String] {
        var aspects: [String] = []
        if old.nodeName != new.nodeName || old.availabilityZone != new.availabilityZone { aspects.append("node") }
        if old.idleTimeoutSeconds != new.idleTimeoutSeconds || old.connectTimeoutSeconds != new.connectTimeoutSeconds {
            aspects.append("timeouts")
        }
        if old.listeners.map(endpoint) != new.listeners.map(endpoint) { aspects.append("listeners") }
        if old.listeners.map(routing) != new.listeners.map(routing) { aspects.append("rules") }
        if old.targetGroups.map(settings) != new.targetGroups.map(settings) { aspects.append("target groups") }
        if old.targetGroups.map(healthCheck) != new.targetGroups.map(healthCheck) { aspects.append("health checks") }
        if old.targetGroups.map(targets) != new.targetGroups.map(targets) { aspects.append("targets") }
        return aspects.isEmpty && old != new ? ["configuration"] : aspects
    }

    private static func endpoint(_ listener: ListenerConfiguration) -> String {
        "\(listener.protocol.rawValue) \(listener.address):\(listener.port)"
    }

    private static func routing(_ listener: ListenerConfiguration) -> [[ListenerRule]] {
        [listener.rules, [ListenerRule(priority: 0, conditions: [], actions: listener.defaultActions)]]
    }

    private static func settings(_ group: TargetGroupConfiguration) -> TargetGroupConfiguration {
        var settings = group
        settings.targets = []
        settings.healthCheck = HealthCheckConfiguration()
        return settings
    }

    private static func healthCheck(_ group: TargetGroupConfiguration) -> String {
        "\(group.name): \(group.healthCheck)"
    }

    private static func targets(_ group: TargetGroupConfiguration) -> String {
        "\(group.name): \(group.targets)"
    }
}
