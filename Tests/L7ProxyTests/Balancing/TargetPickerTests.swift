import Testing

@testable import L7Proxy

@Suite struct TargetPickerTests {
    func candidate(_ last: Int, zone: String = "az-a", routable: Bool = true, draining: Bool = false,
                   weight: Int = 1, outstanding: Int = 0) -> TargetCandidate {
        TargetCandidate(
            endpoint: TargetEndpoint(key: .init(address: "10.0.0.\(last)", port: 80), availabilityZone: zone, weight: weight),
            isRoutable: routable, isDraining: draining, outstandingRequests: outstanding
        )
    }

    func picks(_ picker: inout TargetPicker, _ candidates: [TargetCandidate], count: Int) -> [String] {
        (0..<count).map { _ in picker.pick(from: candidates)?.address ?? "none" }
    }

    @Test func roundRobinRotatesOverHealthyTargets() {
        var picker = TargetPicker(algorithm: .roundRobin, crossZoneEnabled: true, nodeZone: "az-a")
        let candidates = [candidate(1), candidate(2, zone: "az-b"), candidate(3, routable: false)]
        #expect(picks(&picker, candidates, count: 4) == ["10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.2"])
    }

    @Test func roundRobinHonoursWeightsSmoothly() {
        var picker = TargetPicker(algorithm: .roundRobin, crossZoneEnabled: true, nodeZone: "az-a")
        let sequence = picks(&picker, [candidate(1, weight: 2), candidate(2, weight: 1)], count: 6)
        #expect(sequence == ["10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1"])
    }

    @Test func crossZoneOffKeepsToTheNodesZone() {
        var picker = TargetPicker(algorithm: .roundRobin, crossZoneEnabled: false, nodeZone: "az-a")
        #expect(Set(picks(&picker, [candidate(1), candidate(2, zone: "az-b")], count: 4)) == ["10.0.0.1"])
        #expect(picker.pick(from: [candidate(2, zone: "az-b")]) == nil)
    }

    @Test func failsOpenWhenNothingIsHealthy() {
        var picker = TargetPicker(algorithm: .roundRobin, crossZoneEnabled: true, nodeZone: "az-a")
        let candidates = [candidate(1, routable: false), candidate(2, routable: false)]
        #expect(Set(picks(&picker, candidates, count: 4)) == ["10.0.0.1", "10.0.0.2"])
    }

    @Test func drainingTargetsNeverGetNewRequests() {
        var picker = TargetPicker(algorithm: .roundRobin, crossZoneEnabled: true, nodeZone: "az-a")
        #expect(Set(picks(&picker, [candidate(1, draining: true), candidate(2, routable: false)], count: 3)) == ["10.0.0.2"])
        #expect(picker.pick(from: [candidate(1, draining: true)]) == nil)
        #expect(picker.pick(from: []) == nil)
    }

    @Test func zeroWeightOnlyWhenNothingElse() {
        var picker = TargetPicker(algorithm: .roundRobin, crossZoneEnabled: true, nodeZone: "az-a")
        #expect(Set(picks(&picker, [candidate(1, weight: 0), candidate(2)], count: 3)) == ["10.0.0.2"])
        #expect(picker.pick(from: [candidate(1, weight: 0)])?.address == "10.0.0.1")
    }

    @Test func weightedRandomFollowsTheWeights() {
        var picker = TargetPicker(algorithm: .weightedRandom, crossZoneEnabled: true, nodeZone: "az-a")
        var generator = FastRandomNumberGenerator(seed: 42)
        let candidates = [candidate(1, weight: 3), candidate(2, weight: 1), candidate(3, routable: false)]
        var counts: [String: Int] = [:]
        for _ in 0..<4000 { counts[picker.pick(from: candidates, using: &generator)?.address ?? "none", default: 0] += 1 }
        // Expected 3000 and 1000; four standard deviations (about 110) either way.
        #expect((2890...3110).contains(counts["10.0.0.1"] ?? 0), "\(counts)")
        #expect((890...1110).contains(counts["10.0.0.2"] ?? 0), "\(counts)")
        #expect(counts["10.0.0.3"] == nil)
    }

    @Test func effectiveWeightsRampRoundRobin() {
        var picker = TargetPicker(algorithm: .roundRobin, crossZoneEnabled: true, nodeZone: "az-a")
        var ramped = candidate(2)
        ramped.effectiveWeight = 250
        var full = candidate(1)
        full.effectiveWeight = 1000
        let sequence = picks(&picker, [full, ramped], count: 10)
        #expect(sequence.filter { $0 == "10.0.0.2" }.count == 2)
    }

    @Test func leastOutstandingPrefersIdleTargetsAndRotatesTies() {
        var picker = TargetPicker(algorithm: .leastOutstandingRequests, crossZoneEnabled: true, nodeZone: "az-a")
        #expect(picks(&picker, [candidate(1, outstanding: 5), candidate(2, outstanding: 1), candidate(3, outstanding: 2)], count: 2)
                == ["10.0.0.2", "10.0.0.2"])
        #expect(Set(picks(&picker, [candidate(1), candidate(2), candidate(3)], count: 3)).count == 3)
        #expect(picker.pick(from: [candidate(1, weight: 4, outstanding: 4), candidate(2, weight: 1, outstanding: 2)])?.address
                == "10.0.0.1")
    }
}

extension TargetPicker {
    /// A pick whose random draws (weighted random only) come from the system.
    mutating func pick(from candidates: [TargetCandidate]) -> TargetEndpoint? {
        var generator = SystemRandomNumberGenerator()
        return pick(from: candidates, using: &generator)
    }
}
