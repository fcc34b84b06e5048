import Testing

/// The NLB on the nftables datapath, on this host's kernel.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct NLBNFTablesTests {
    let scenario = NLBScenario(datapath: "nftables")

    @Test func reachesEachElasticIPInItsZone() async throws { try await scenario.reachesEachElasticIPInItsZone() }
    @Test func crossZoneReachesEveryZone() async throws { try await scenario.crossZoneReachesEveryZone() }
    @Test func sameSourcePortReachesSameTarget() async throws { try await scenario.sameSourcePortReachesSameTarget() }
    @Test func removedTargetDrains() async throws { try await scenario.removedTargetDrains() }
    @Test func internalSchemeIsPrivate() async throws { try await scenario.internalSchemeIsPrivate() }
    @Test func secondUpWritesNothingAndDownCleansUp() async throws { try await scenario.secondUpWritesNothingAndDownCleansUp() }
    @Test func unhealthyTargetLeavesAndReturns() async throws { try await scenario.unhealthyTargetLeavesAndReturns() }
    @Test func sourceIPStickinessKeepsAClientOnOneTarget() async throws { try await scenario.sourceIPStickinessKeepsAClientOnOneTarget() }
    @Test func deletionProtectionRefusesTheRemoval() async throws { try await scenario.deletionProtectionRefusesTheRemoval() }
    @Test func refusedAttributesChangeNothing() async throws { try await scenario.refusedAttributesChangeNothing() }
    @Test func idleFlowIsResetAfterTheIdleTimeout() async throws { try await scenario.idleFlowIsResetAfterTheIdleTimeout() }
    @Test func deregistrationCutsHeldFlows() async throws { try await scenario.deregistrationCutsHeldFlows() }
    @Test func heldFlowOutlivesTheDelayWithoutTermination() async throws { try await scenario.heldFlowOutlivesTheDelayWithoutTermination() }
    @Test func unhealthyTargetLosesItsFlows() async throws { try await scenario.unhealthyTargetLosesItsFlows() }
    @Test func tlsListenerTerminatesAndBalancesByZone() async throws { try await scenario.tlsListenerTerminatesAndBalancesByZone() }
}

/// The same behaviours on IPVS: the kernels here have none, so `scripts/vm-test` runs these in
/// a VM with a stock Debian kernel (and sets LBNET_REQUIRE_IPVS=1, so they fail there instead
/// of skipping if IPVS is missing).
@Suite(.serialized, .enabled(if: isRoot && (NLBScenario.ipvsPresent || NLBScenario.ipvsRequired),
                             "needs root and a kernel with IPVS; scripts/vm-test runs these in a VM"))
struct NLBIPVSTests {
    let scenario = NLBScenario(datapath: "ipvs")

    @Test func ipvsKernelIsPresent() {
        #expect(NLBScenario.ipvsPresent, "LBNET_REQUIRE_IPVS is set but /proc/net/ip_vs is missing (modprobe ip_vs)")
    }

    @Test func reachesEachElasticIPInItsZone() async throws { try await scenario.reachesEachElasticIPInItsZone() }
    @Test func crossZoneReachesEveryZone() async throws { try await scenario.crossZoneReachesEveryZone() }
    @Test func sameSourcePortReachesSameTarget() async throws { try await scenario.sameSourcePortReachesSameTarget() }
    @Test func removedTargetDrains() async throws { try await scenario.removedTargetDrains() }
    @Test func internalSchemeIsPrivate() async throws { try await scenario.internalSchemeIsPrivate() }
    @Test func secondUpWritesNothingAndDownCleansUp() async throws { try await scenario.secondUpWritesNothingAndDownCleansUp() }
    @Test func unhealthyTargetLeavesAndReturns() async throws { try await scenario.unhealthyTargetLeavesAndReturns() }
    @Test func sourceIPStickinessKeepsAClientOnOneTarget() async throws { try await scenario.sourceIPStickinessKeepsAClientOnOneTarget() }
    @Test func deletionProtectionRefusesTheRemoval() async throws { try await scenario.deletionProtectionRefusesTheRemoval() }
    @Test func refusedAttributesChangeNothing() async throws { try await scenario.refusedAttributesChangeNothing() }
    @Test func idleFlowIsResetAfterTheIdleTimeout() async throws { try await scenario.idleFlowIsResetAfterTheIdleTimeout() }
    @Test func deregistrationCutsHeldFlows() async throws { try await scenario.deregistrationCutsHeldFlows() }
    @Test func heldFlowOutlivesTheDelayWithoutTermination() async throws { try await scenario.heldFlowOutlivesTheDelayWithoutTermination() }
    @Test func unhealthyTargetLosesItsFlows() async throws { try await scenario.unhealthyTargetLosesItsFlows() }
    @Test func tlsListenerTerminatesAndBalancesByZone() async throws { try await scenario.tlsListenerTerminatesAndBalancesByZone() }
}
