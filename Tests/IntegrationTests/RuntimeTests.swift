import Testing

/// The one plan and the one runtime on nftables, on this host.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct RuntimeNFTablesTests {
    let scenario = RuntimeScenario(nlb: NLBScenario(datapath: "nftables"))

    @Test func driftIsPlannedAndRepaired() async throws { try await scenario.driftIsPlannedAndRepaired() }
    @Test func unhealthyTargetLeavesWithoutAReconcile() async throws { try await scenario.unhealthyTargetLeavesWithoutAReconcile() }
    @Test func killedDaemonKeepsFlowsAndTheNextUpConverges() async throws { try await scenario.killedDaemonKeepsFlowsAndTheNextUpConverges() }
}

/// The same on IPVS, run by `scripts/vm-test` (its kernel has IPVS; the names hold "IPVS").
@Suite(.serialized, .enabled(if: isRoot && (NLBScenario.ipvsPresent || NLBScenario.ipvsRequired), "needs root and a kernel with IPVS (scripts/vm-test runs these)"))
struct RuntimeIPVSTests {
    let scenario = RuntimeScenario(nlb: NLBScenario(datapath: "ipvs"))

    @Test func driftIsPlannedAndRepairedOnIPVS() async throws { try await scenario.driftIsPlannedAndRepaired() }
    @Test func datapathSwitchRemovesTheOldDatapathOnIPVS() async throws { try await scenario.datapathSwitchRemovesTheOldDatapath() }
    @Test func unhealthyTargetLeavesWithoutAReconcileOnIPVS() async throws { try await scenario.unhealthyTargetLeavesWithoutAReconcile() }
    @Test func killedDaemonKeepsFlowsAndTheNextUpConvergesOnIPVS() async throws { try await scenario.killedDaemonKeepsFlowsAndTheNextUpConverges() }
}
