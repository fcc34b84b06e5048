import Health

/// One target's health as `DescribeTargetHealth` would report it.
public struct TargetHealthReport: Sendable, Equatable, Codable {
    public var targetGroup: String
    public var id: String
    public var address: String
    public var port: Int
    public var availabilityZone: String
    public var state: TargetHealth.State
    public var reason: TargetHealth.Reason?
    public var description: String?

    public init(
        targetGroup: String, id: String, address: String, port: Int, availabilityZone: String,
        state: TargetHealth.State, reason: TargetHealth.Reason?, description: String?
    ) {
        self.targetGroup = targetGroup
        self.id = id
        self.address = address
        self.port = port
        self.availabilityZone = availabilityZone
        self.state = state
        self.reason = reason
        self.description = description
    }
}

extension TargetHealthTable {
    /// Every known target, sorted by group, address and port.
    var reports: [TargetHealthReport] {
        entries.flatMap { group, groupEntries in
            groupEntries.values.map { entry in
                TargetHealthReport(
                    targetGroup: group, id: entry.endpoint.id, address: entry.endpoint.address, port: entry.endpoint.port,
                    availabilityZone: entry.endpoint.availabilityZone, state: entry.health.state,
                    reason: entry.health.reason, description: entry.health.description
                )
            }
        }
        .sorted { ($0.targetGroup, $0.address, $0.port) < ($1.targetGroup, $1.address, $1.port) }
    }
}
