import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The background part of a topology with load balancers (`lbnet controller`, run by the
/// supervisor in lbnet's own namespace). It runs the NLB health checks and, when a node's set of
/// healthy targets changes or a draining target's deregistration delay ends, reconciles the
/// applied state file again, which gives the datapaths their new weights.
public struct Controller {
    public static let processName = "controller"
    static let tick: useconds_t = 200_000

    let deployment: Deployment

    public init(deployment: Deployment) { self.deployment = deployment }

    public func run() -> Never {
        let directory = deployment.directory
        let checker = HealthChecker(record: (try? directory.loadHealth()) ?? HealthRecord())
        var loadedVersion: Date?
        while true {
            let version = (try? FileManager.default.attributesOfItem(atPath: deployment.appliedStatePath))?[.modificationDate] as? Date
            if version != loadedVersion, let model = try? deployment.appliedModel() {
                checker.load(model, naming: deployment.naming)
                loadedVersion = version
            }
            let outcome = checker.tick()
            if outcome.healthChanged {
                report { try directory.saveHealth(checker.record) }
            }
            var reconcile = outcome.rotationChanged
            let now = Date().timeIntervalSince1970
            reconcile = reconcile || ((try? directory.loadDraining()) ?? []).contains { $0.deadline <= now }
            if reconcile {
                report { try deployment.up(.file(deployment.appliedStatePath)) }
            }
            usleep(Self.tick)
        }
    }

    private func report(_ body: () throws -> Void) {
        do {
            try body()
        } catch {
            FileHandle.standardError.write(Data("controller: \(error)\n".utf8))
        }
    }
}
