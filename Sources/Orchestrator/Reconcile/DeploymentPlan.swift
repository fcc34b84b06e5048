import Kernel

/// One observation of the kernel and the plan made from it, with what carrying it out needs:
/// the model and fabric it was planned for, the draining backends to record and the ownership
/// record.
struct DeploymentPlan: Sendable {
    let model: DeploymentModel
    let fabric: FabricSpec
    let draining: [DrainingBackend]
    let record: OwnershipRecord
    let changes: [Change]
}
