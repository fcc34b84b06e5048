import Testing
@testable import Kernel

/// Slot filling: exact proportions, weight 0, determinism and minimal movement.
@Suite struct NFTablesSlotTableTests {
    static func backend(_ last: UInt8, weight: UInt32 = 1, port: UInt16 = 8080) -> NLBBackend {
        NLBBackend(address: IPv4Address(10, 0, 1, last), port: port, weight: weight)
    }

    static func counts(_ table: [UInt32: NLBEndpoint]) -> [NLBEndpoint: Int] {
        table.values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    static func moved(_ old: [UInt32: NLBEndpoint], _ new: [UInt32: NLBEndpoint]) -> [UInt32] {
        (0..<UInt32(SlotTable.slotCount)).filter { old[$0] != new[$0] }
    }

    @Test func slotsFollowWeights() {
        let table = SlotTable.fill(backends: [Self.backend(1, weight: 3), Self.backend(2, weight: 1)])
        #expect(table.count == 256)
        #expect(Self.counts(table) == [Self.backend(1).endpoint: 192, Self.backend(2).endpoint: 64])
    }

    @Test func sharesAreExactToOneSlot() {
        let backends = (1...7).map { Self.backend($0, weight: UInt32($0)) }
        let counts = Self.counts(SlotTable.fill(backends: backends))
        #expect(counts.values.reduce(0, +) == 256)
        for backend in backends {
            let exact = 256.0 * Double(backend.weight) / 28.0
            let count = Double(counts[backend.endpoint] ?? 0)
            #expect(count >= exact.rounded(.down) && count <= exact.rounded(.up), "\(backend): \(count) for \(exact)")
        }
    }

    @Test func weightZeroGetsNoSlots() {
        let table = SlotTable.fill(backends: [Self.backend(1), Self.backend(2, weight: 0)])
        #expect(Self.counts(table) == [Self.backend(1).endpoint: 256])
        #expect(SlotTable.fill(backends: [Self.backend(1, weight: 0)]).isEmpty)
        #expect(SlotTable.fill(backends: []).isEmpty)
    }

    @Test func theTableDependsOnlyOnTheBackends() {
        let backends = (1...5).map { Self.backend($0) }
        let table = SlotTable.fill(backends: backends)
        #expect(SlotTable.fill(backends: backends.reversed()) == table)
        #expect(SlotTable.fill(backends: backends, previous: table) == table)
    }

    @Test func aBackendListedTwiceCountsOnceWithBothWeights() {
        let table = SlotTable.fill(backends: [Self.backend(1), Self.backend(1), Self.backend(2, weight: 2)])
        #expect(Self.counts(table) == [Self.backend(1).endpoint: 128, Self.backend(2).endpoint: 128])
    }

    @Test func addingABackendMovesAboutOneNthOfTheSlotsAllToIt() {
        let four = (1...4).map { Self.backend($0) }
        let old = SlotTable.fill(backends: four)
        let new = SlotTable.fill(backends: four + [Self.backend(5)], previous: old)
        let moved = Self.moved(old, new)
        #expect(moved.allSatisfy { new[$0] == Self.backend(5).endpoint })
        #expect(moved.count == Self.counts(new)[Self.backend(5).endpoint])
        #expect(moved.count <= 256 / 5 + 1)
    }

    @Test func removingABackendMovesOnlyItsSlots() {
        let five = (1...5).map { Self.backend($0) }
        let old = SlotTable.fill(backends: five)
        let new = SlotTable.fill(backends: Array(five.dropLast()), previous: old)
        let moved = Self.moved(old, new)
        #expect(moved.allSatisfy { old[$0] == Self.backend(5).endpoint })
        #expect(moved.count == Self.counts(old)[Self.backend(5).endpoint])
        #expect(new.count == 256)
    }

    @Test func repeatedChangesKeepMovingOnlyWhatMust() {
        var backends = (1...3).map { Self.backend($0) }
        var table = SlotTable.fill(backends: backends)
        for next in UInt8(4)...20 {
            let removed = backends.removeFirst()
            backends.append(Self.backend(next))
            let new = SlotTable.fill(backends: backends, previous: table)
            let moved = Self.moved(table, new)
            #expect(moved.allSatisfy { table[$0] == removed.endpoint || new[$0] == Self.backend(next).endpoint })
            #expect(Set(Self.counts(new).values).isSubset(of: [85, 86]))
            table = new
        }
    }

    @Test func drainingMovesOnlyTheDrainedSlots() {
        let old = SlotTable.fill(backends: [Self.backend(1), Self.backend(2), Self.backend(3)])
        let new = SlotTable.fill(backends: [Self.backend(1), Self.backend(2), Self.backend(3, weight: 0)], previous: old)
        #expect(Self.moved(old, new).allSatisfy { old[$0] == Self.backend(3).endpoint })
        #expect(Self.counts(new)[Self.backend(3).endpoint] == nil)
    }

    @Test func anyPreviousTableIsCompletedWithinQuotas() {
        var previous: [UInt32: NLBEndpoint] = [:]
        for slot in 0..<UInt32(256) { previous[slot] = Self.backend(slot < 200 ? 1 : 9).endpoint }
        previous[999] = Self.backend(2).endpoint
        let table = SlotTable.fill(backends: [Self.backend(1), Self.backend(2), Self.backend(3)], previous: previous)
        #expect(table.count == 256)
        #expect(Set(Self.counts(table).values).isSubset(of: [85, 86]))
        #expect(table.filter { previous[$0.key] == $0.value }.count == 86)
    }
}
