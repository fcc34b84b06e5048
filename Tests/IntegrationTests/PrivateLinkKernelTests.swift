import Foundation
import Testing

/// PrivateLink with the provider NLB on the nftables datapath, on this host's kernel.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct PrivateLinkNFTablesTests {
    let scenario = PrivateLinkScenario(datapath: "nftables")

    @Test func consumerReachesServiceThroughEndpoint() async throws { try await scenario.consumerReachesServiceThroughEndpoint() }

    /// Only the endpoint connects the VPCs: neither side reaches the other's addresses.
    @Test func noOtherPathBetweenTheVPCs() async throws {
        try await TestTopology.with { topology in
            try await scenario.up(topology, scenario.yaml(consumerCIDR: "10.1"))
            let address = try await scenario.endpointAddress(topology)
            #expect(address == "10.1.1.254")
            #expect(try await eventually(timeout: 15) { (try? await scenario.answer(topology, from: "client-a1", "http://\(address)/")) != nil })
            for url in ["http://10.0.1.11:8080/", "http://10.0.1.254/", "http://100.65.0.1/"] {
                #expect(try await scenario.answer(topology, from: "client-a1", url, timeout: 2) == nil, "the consumer reached \(url)")
            }
            #expect(try await scenario.answer(topology, from: "web-a1", "http://10.1.1.11:8080/", timeout: 2) == nil,
                    "the provider reached the consumer")
            #expect(try await scenario.answer(topology, from: "web-a1", "http://\(address)/", timeout: 2) == nil,
                    "the provider reached the endpoint")
        }
    }

    /// A pending endpoint has its interface but carries nothing; accepted, it works; taken back,
    /// its link and NAT go again.
    @Test func pendingEndpointCarriesNothingUntilAccepted() async throws {
        try await TestTopology.with { topology in
            try await scenario.up(topology, scenario.yaml(acceptanceRequired: true))
            let address = try await scenario.endpointAddress(topology)
            let row = try #require(try await scenario.endpoints(topology).first)
            #expect(row["state"] as? String == "pendingAcceptance", "\(row)")
            #expect(try await topology.exec("ep-local-1a", ["ip", "-br", "address"]).stdout.contains(address))
            #expect(!(try await topology.exec("ep-local-1a", ["nft", "list", "tables"]).stdout.contains("lbnet_endpoint")))
            #expect(!(try await topology.exec("ep-local-1a", ["ip", "link"]).stdout.contains("pl0")))
            #expect(try await scenario.answer(topology, from: "client-a1", "http://\(address)/", timeout: 2) == nil)

            try await scenario.up(topology, scenario.yaml(acceptanceRequired: true, accepted: ["ep"]))
            #expect(try await scenario.endpoints(topology).first?["state"] as? String == "available")
            #expect(try await eventually(timeout: 15) { (try? await scenario.answer(topology, from: "client-a1", "http://\(address)/")) != nil },
                    "the accepted endpoint carries nothing")

            try await scenario.up(topology, scenario.yaml(acceptanceRequired: true))
            #expect(!(try await topology.exec("ep-local-1a", ["nft", "list", "tables"]).stdout.contains("lbnet_endpoint")))
            #expect(try await scenario.answer(topology, from: "client-a1", "http://\(address)/", timeout: 2) == nil)
            #expect(try await topology.up().stdout.contains("No changes"))
        }
    }

    /// An endpoint whose principal the service does not allow: `plan` and `up` refuse, naming
    /// the endpoint, the principal and the service, and the kernel keeps what it had.
    @Test func disallowedPrincipalIsRefusedWithNothingChanged() async throws {
        try await TestTopology.with { topology in
            try await scenario.up(topology, scenario.yaml())
            let before = try await scenario.kernelState(topology)
            try topology.write(scenario.yaml(principal: PrivateLinkScenario.stranger))
            for command in ["plan", "up"] {
                let result = try await topology.lbnet([command, "-f", topology.stateFile])
                #expect(result.status != 0)
                #expect(result.stderr.contains("endpoint 'ep'") && result.stderr.contains(PrivateLinkScenario.stranger)
                        && result.stderr.contains("service 'svc'"), "\(result.output)")
            }
            #expect(try await scenario.kernelState(topology) == before)
        }
    }
}

/// The same on IPVS, in the VM (`scripts/vm-test --filter PrivateLinkIPVS`): kept to one lean test.
@Suite(.serialized, .enabled(if: isRoot && (NLBScenario.ipvsPresent || NLBScenario.ipvsRequired),
                             "needs root and a kernel with IPVS; scripts/vm-test runs these in a VM"))
struct PrivateLinkIPVSTests {
    let scenario = PrivateLinkScenario(datapath: "ipvs")

    @Test func consumerReachesServiceThroughEndpoint() async throws {
        try await scenario.consumerReachesServiceThroughEndpoint()
    }
}
