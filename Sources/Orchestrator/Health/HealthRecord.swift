import Health

/// The health of every NLB target the daemon checks, by node and then by `address:port`.
public struct HealthRecord: Codable, Sendable, Equatable {
    public var nodes: [String: [String: TargetHealth]]

    public init(nodes: [String: [String: TargetHealth]] = [:]) { self.nodes = nodes }

    /// The targets of `candidates` that should get new flows: the healthy ones, or, when none
    /// is healthy, all of them (fail open, as AWS does).
    public func inRotation(node: String, candidates: [String]) -> Set<String> {
        let healthy = candidates.filter { nodes[node]?[$0]?.state == .healthy }
        return Set(healthy.isEmpty ? candidates : healthy)
    }
}
