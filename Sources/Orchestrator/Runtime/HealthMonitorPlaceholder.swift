// TEMPORARY (not to be committed to main): stands in for the health helper's HealthMonitor.
import Kernel
public struct HealthEvent: Sendable { public let node: String; public let key: String; public let health: TargetHealth }
public final class NamespaceEventLoops: Sendable { public init() {} }
public final class HealthMonitor: Sendable {
    public init(loops: NamespaceEventLoops, initial: HealthRecord) {}
    public func update(_ targets: [Int]) {}
    public var events: AsyncStream<HealthEvent> { AsyncStream { _ in } }
    public func record() -> HealthRecord { HealthRecord() }
    public func shutdown() async {}
}
enum HealthCheckTargets { static func of(_ model: DeploymentModel?, naming: Naming) -> [Int] { [] } }
