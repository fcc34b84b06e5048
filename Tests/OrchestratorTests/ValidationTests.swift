import Kernel
import Orchestrator
import Testing

/// The issues `StateFileLoader.parse` reports for `yaml` (read as `state.yaml`), one description each;
/// empty when the file is valid.
func issueDescriptions(_ yaml: String) -> [String] {
    do {
        _ = try StateFileLoader.parse(yaml, source: "state.yaml")
        return []
    } catch {
        return error.issues.map(\.description)
    }
}

/// A valid network to append sections to; it is 18 lines long, so appended text starts on line 19.
///
/// VPC `main` (10.0.0.0/16): subnet-1a (local-1a), subnet-1b (local-1b), subnet-1c (local-1a).
/// VPC `consumer` (10.1.0.0/16): consumer-1a (local-1a), consumer-1c (local-1c).
/// Instances web-a1 (subnet-1a), web-b1 (subnet-1b); Elastic IPs eip-a (198.51.100.10), eip-b.
let network = """
    vpcs:
      - name: main
        cidr: 10.0.0.0/16
        subnets:
          - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
          - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
          - {name: subnet-1c, az: local-1a, cidr: 10.0.3.0/24}
      - name: consumer
        cidr: 10.1.0.0/16
        subnets:
          - {name: consumer-1a, az: local-1a, cidr: 10.1.1.0/24}
          - {name: consumer-1c, az: local-1c, cidr: 10.1.3.0/24}
    instances:
      - {name: web-a1, subnet: subnet-1a}
      - {name: web-b1, subnet: subnet-1b}
    elasticIps:
      - {name: eip-a, address: 198.51.100.10}
      - {name: eip-b}

    """

@Suite struct ValidationTests {
    @Test func theNetworkFixtureIsValid() {
        #expect(issueDescriptions(network) == [])
    }

    @Test func reportsEveryIssueTogetherInFileOrder() {
        let yaml = """
            vpcs:
              - name: main
                cidr: 10.0.0.0/16
                subnets:
                  - {name: subnet-1a, az: local-1a, cidr: 10.1.0.0/24}
                  - {name: subnet-1b, az: local-1b, cidr: 10.0.0.0/8}
            instances:
              - {name: web-a1, subnet: subnet-9}
              - {name: web-a1, subnet: subnet-1a, address: 10.1.0.1}
            """
        #expect(issueDescriptions(yaml) == [
            "state.yaml:5: vpcs[0].subnets[0].cidr: 10.1.0.0/24 is outside the VPC's 10.0.0.0/16",
            "state.yaml:6: vpcs[0].subnets[1].cidr: prefix /8 is out of range /16-/28",
            "state.yaml:6: vpcs[0].subnets[1].cidr: 10.0.0.0/8 is outside the VPC's 10.0.0.0/16",
            "state.yaml:6: vpcs[0].subnets[1].cidr: 10.0.0.0/8 overlaps subnet 'subnet-1a' (10.1.0.0/24)",
            "state.yaml:8: instances[0].subnet: unknown subnet 'subnet-9' (did you mean 'subnet-1a'?)",
            "state.yaml:9: instances[1].name: duplicate name 'web-a1': already used by instances[0]",
            "state.yaml:9: instances[1].address: 10.1.0.1 is reserved in subnet 'subnet-1a' (the gateway)",
        ])
    }

    @Test func theErrorDescriptionListsOneIssuePerLine() {
        let yaml = """
            vpcs:
              - {name: Main, cidr: 10.0.0.0/16}
              - {name: main-, cidr: 10.1.0.0/16}
            """
        let error = #expect(throws: StateFileError.self) { try StateFileLoader.parse(yaml, source: "state.yaml") }
        #expect(error?.description == """
            state.yaml:2: vpcs[0].name: 'Main' may contain only a-z, 0-9 and '-'
            state.yaml:3: vpcs[1].name: 'main-' must not start or end with '-'
            """)
        #expect(error?.issues.map(\.line) == [2, 3])
        #expect(error?.issues.map(\.path) == ["vpcs[0].name", "vpcs[1].name"])
    }

    @Test func validatesStateFilesBuiltInCode() {
        let cidr = IPv4Network("10.0.0.0/16")!
        let file = StateFile(vpcs: [
            StateFile.VPC(name: "main", cidr: cidr, subnets: [
                StateFile.Subnet(name: "subnet-1a", az: "local-1a", cidr: IPv4Network("10.2.0.0/24")!),
            ]),
        ])
        #expect(file.validationIssues(source: "api").map(\.description) == [
            "api: vpcs[0].subnets[0].cidr: 10.2.0.0/24 is outside the VPC's 10.0.0.0/16",
        ])
        #expect(StateFile().validationIssues(source: "api") == [])
    }
}
