import Testing
@testable import Orchestrator

@Suite struct NamingTests {
    @Test func shortNamesStayReadable() {
        #expect(Naming.bridge(subnet: "subnet-1a") == "br-subnet-1a")
        #expect(Naming.hostPort(host: "web-a1") == "v-web-a1")
        #expect(Naming(prefix: "lbnet").hostNamespace("web-a1") == "lbnet-web-a1")
        #expect(Naming(prefix: "lbnet").routerNamespace(vpc: "main") == "lbnet-vpc.main")
    }

    @Test func longNamesAreHashedIntoFifteenBytes() {
        let names = (0..<2000).map { "a-very-long-host-name-\($0)" }
        let interfaces = names.map(Naming.hostPort(host:)) + names.map(Naming.bridge(subnet:))
        #expect(interfaces.allSatisfy { $0.utf8.count <= 15 })
        #expect(Set(names.map(Naming.hostPort(host:))).count == names.count)
        #expect(Set(names.map(Naming.bridge(subnet:))).count == names.count)
        #expect(Naming.hostPort(host: names[0]) == Naming.hostPort(host: names[0]))
    }

    @Test func routerAndHostNamespacesCannotCollide() {
        let naming = Naming(prefix: "lbnet")
        // Host names cannot contain dots, so no host maps to a router's namespace.
        #expect(naming.routerNamespace(vpc: "main").contains("."))
        #expect(!naming.hostNamespace("vpc-main").contains("."))
    }
}
