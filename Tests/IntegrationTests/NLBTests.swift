import Testing

/// The NLB on the nftables datapath, on this host's kernel.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct NLBNFTablesTests {
    let scenario = NLBScenario(datapath: "nftables")

    @Test func reachesEachElasticIPInItsZone() throws { try scenario.reachesEachElasticIPInItsZone() }
    @Test func crossZoneReachesEveryZone() throws { try scenario.crossZoneReachesEveryZone() }
    @Test func sameSourcePortReachesSameTarget() throws { try scenario.sameSourcePortReachesSameTarget() }
    @Test func removedTargetDrains() throws { try scenario.removedTargetDrains() }
    @Test func internalSchemeIsPrivate() throws { try scenario.internalSchemeIsPrivate() }
    @Test func secondUpWritesNothingAndDownCleansUp() throws { try scenario.secondUpWritesNothingAndDownCleansUp() }
    @Test func unhealthyTargetLeavesAndReturns() throws { try scenario.unhealthyTargetLeavesAndReturns() }
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

    @Test func reachesEachElasticIPInItsZone() throws { try scenario.reachesEachElasticIPInItsZone() }
    @Test func crossZoneReachesEveryZone() throws { try scenario.crossZoneReachesEveryZone() }
    @Test func sameSourcePortReachesSameTarget() throws { try scenario.sameSourcePortReachesSameTarget() }
    @Test func removedTargetDrains() throws { try scenario.removedTargetDrains() }
    @Test func internalSchemeIsPrivate() throws { try scenario.internalSchemeIsPrivate() }
    @Test func secondUpWritesNothingAndDownCleansUp() throws { try scenario.secondUpWritesNothingAndDownCleansUp() }
    @Test func unhealthyTargetLeavesAndReturns() throws { try scenario.unhealthyTargetLeavesAndReturns() }
}
