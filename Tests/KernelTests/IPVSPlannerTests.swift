import Testing
@testable import Kernel

@Suite struct IPVSPlannerTests {
    static let web = IPVSService(.tcp, address: IPv4Address(10, 0, 1, 254), port: 80, flags: [.fallback, .port])
    static let dns = IPVSService(.udp, address: IPv4Address(10, 0, 1, 253), port: 53, scheduler: .maglev, flags: .fallback)
    static func backend(_ last: UInt8, weight: UInt32 = 1) -> IPVSDestination {
        IPVSDestination(address: IPv4Address(10, 0, 1, last), port: 8080, weight: weight)
    }

    @Test func matchingTablesNeedNoChange() {
        let table: IPVSTable = [Self.web: [Self.backend(11), Self.backend(12)], Self.dns: [Self.backend(13)]]
        #expect(IPVSPlanner.diff(desired: table, observed: table).isEmpty)
    }

    @Test func destinationOrderAndCountersAreNotChanges() {
        var busy = Self.backend(11)
        busy.counters = IPVSConnectionCounters(activeConnections: 7, inactiveConnections: 2)
        let desired: IPVSTable = [Self.web: [Self.backend(11), Self.backend(12)]]
        let observed: IPVSTable = [Self.web: [Self.backend(12), busy]]
        #expect(IPVSPlanner.diff(desired: desired, observed: observed).isEmpty)
    }

    @Test func newServiceIsAddedBeforeItsDestinationsInOrder() {
        let desired: IPVSTable = [Self.web: [Self.backend(12), Self.backend(11)]]
        #expect(IPVSPlanner.diff(desired: desired, observed: [:]) == [
            .addService(Self.web),
            .addDestination(Self.backend(12), service: Self.web),
            .addDestination(Self.backend(11), service: Self.web),
        ])
    }

    @Test func staleServiceIsDeletedWithoutItsDestinations() {
        let observed: IPVSTable = [Self.web: [Self.backend(11)], Self.dns: [Self.backend(13)]]
        let desired: IPVSTable = [Self.web: [Self.backend(11)]]
        #expect(IPVSPlanner.diff(desired: desired, observed: observed) == [.deleteService(Self.dns)])
    }

    @Test func schedulerFlagsOrTimeoutChangeUpdatesTheService() {
        var changed = Self.web
        changed.scheduler = .maglev
        changed.flags = .fallback
        changed.timeout = 60
        let observed: IPVSTable = [Self.web: [Self.backend(11)]]
        let desired: IPVSTable = [changed: [Self.backend(11)]]
        #expect(IPVSPlanner.diff(desired: desired, observed: observed) == [.updateService(changed)])
    }

    @Test func weightChangeUpdatesTheDestination() {
        let observed: IPVSTable = [Self.web: [Self.backend(11), Self.backend(12)]]
        let desired: IPVSTable = [Self.web: [Self.backend(11), Self.backend(12, weight: 0)]]
        #expect(IPVSPlanner.diff(desired: desired, observed: observed) == [
            .updateDestination(Self.backend(12, weight: 0), service: Self.web),
        ])
    }

    @Test func forwardingChangeUpdatesTheDestination() {
        var routed = Self.backend(11)
        routed.forwarding = .directRoute
        let observed: IPVSTable = [Self.web: [Self.backend(11)]]
        let desired: IPVSTable = [Self.web: [routed]]
        #expect(IPVSPlanner.diff(desired: desired, observed: observed) == [.updateDestination(routed, service: Self.web)])
    }

    @Test func staleDestinationIsDeleted() {
        let observed: IPVSTable = [Self.web: [Self.backend(11), Self.backend(12)]]
        let desired: IPVSTable = [Self.web: [Self.backend(11)]]
        #expect(IPVSPlanner.diff(desired: desired, observed: observed) == [
            .deleteDestination(Self.backend(12), service: Self.web),
        ])
    }

    @Test func changedPortIsANewDestination() {
        var moved = Self.backend(11)
        moved.port = 9090
        let observed: IPVSTable = [Self.web: [Self.backend(11)]]
        let desired: IPVSTable = [Self.web: [moved]]
        #expect(IPVSPlanner.diff(desired: desired, observed: observed) == [
            .deleteDestination(Self.backend(11), service: Self.web),
            .addDestination(moved, service: Self.web),
        ])
    }

    @Test func everyKindOfChangeComesInKernelOrder() {
        let stale = IPVSService(.tcp, address: IPv4Address(10, 0, 1, 250), port: 443)
        var updatedWeb = Self.web
        updatedWeb.scheduler = .maglev
        let observed: IPVSTable = [
            Self.web: [Self.backend(11), Self.backend(12)],
            stale: [Self.backend(14)],
        ]
        let desired: IPVSTable = [
            updatedWeb: [Self.backend(11, weight: 5), Self.backend(15)],
            Self.dns: [Self.backend(13)],
        ]
        #expect(IPVSPlanner.diff(desired: desired, observed: observed) == [
            .deleteDestination(Self.backend(12), service: Self.web),
            .deleteService(stale),
            .updateService(updatedWeb),
            .addService(Self.dns),
            .updateDestination(Self.backend(11, weight: 5), service: updatedWeb),
            .addDestination(Self.backend(15), service: updatedWeb),
            .addDestination(Self.backend(13), service: Self.dns),
        ])
    }

    @Test func emptyDesiredTableDeletesEveryService() {
        let observed: IPVSTable = [Self.web: [Self.backend(11)], Self.dns: []]
        #expect(IPVSPlanner.diff(desired: [:], observed: observed) == [.deleteService(Self.web), .deleteService(Self.dns)])
    }

    @Test func tableRejectsTheSameServiceTwice() async {
        await #expect(processExitsWith: .failure) {
            let twin = IPVSService(.tcp, address: IPv4Address(10, 0, 1, 254), port: 80, scheduler: .maglev)
            _ = IPVSTable([IPVSPlannerTests.web: [], twin: []])
        }
    }
}
