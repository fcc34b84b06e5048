import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The background part of a topology with load balancers (`lbnet controller`, run by the
/// supervisor in lbnet's own namespace): when a draining target's deregistration delay ends,
/// it reconciles the applied state file again, which removes that target from the datapath.
public struct Controller {
    public static let processName = "controller"
    static let pollInterval: useconds_t = 500_000

    let deployment: Deployment

    public init(deployment: Deployment) { self.deployment = deployment }

    public func run() -> Never {
        while true {
            let now = Date().timeIntervalSince1970
            let draining = (try? deployment.directory.loadDraining()) ?? []
            if draining.contains(where: { $0.deadline <= now }) {
                do {
                    try deployment.up(.file(deployment.appliedStatePath))
                } catch {
                    FileHandle.standardError.write(Data("controller: reconciling after a deregistration delay failed: \(error)\n".utf8))
                }
            }
            usleep(Self.pollInterval)
        }
    }
}
