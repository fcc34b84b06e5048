import Foundation
import Testing

/// PrivateLink behaviours, written once and run on each provider datapath: a provider VPC with
/// an internal NLB over two AZs, a consumer VPC (overlapping the provider's addresses or not)
/// with one client and an interface endpoint in AZ a, and `curl`/`nft` as witnesses.
struct PrivateLinkScenario {
    let datapath: String

    static let owner = "arn:aws:iam::111111111111:root"
    static let stranger = "arn:aws:iam::222222222222:root"

    func yaml(consumerCIDR: String = "10.0", acceptanceRequired: Bool = false, accepted: [String] = [],
              principal: String = Self.owner, proxyProtocol: Bool = false) -> String {
        """
        vpcs:
          - name: main
            cidr: 10.0.0.0/16
            subnets:
              - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
              - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
          - name: consumer
            cidr: \(consumerCIDR).0.0/16
            subnets:
              - {name: consumer-1a, az: local-1a, cidr: \(consumerCIDR).1.0/24}
        instances:
          - {name: web-a1, subnet: subnet-1a}
          - {name: web-b1, subnet: subnet-1b}
          - {name: client-a1, subnet: consumer-1a}
        securityGroups:
          - {name: default, vpc: main, ingress: [{ipProtocol: "-1", cidrIp: 10.0.0.0/16}]}
        loadBalancers:
          - name: svc-nlb
            type: network
            scheme: internal
            datapath: \(datapath)
            subnets: [subnet-1a, subnet-1b]
            listeners:
              - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: web}]}
        targetGroups:
          - {name: web, protocol: TCP, port: 8080, vpc: main, targets: [{id: web-a1}, {id: web-b1}],
             attributes: {proxy_protocol_v2.enabled: "\(proxyProtocol)"}}
        endpointServices:
          - name: svc
            networkLoadBalancers: [svc-nlb]
            acceptanceRequired: \(acceptanceRequired)
            allowedPrincipals: ["\(Self.owner)"]
        \(accepted.isEmpty ? "" : "    acceptedEndpoints: [\(accepted.joined(separator: ", "))]")
        vpcEndpoints:
          - {name: ep, vpcEndpointType: Interface, serviceName: svc, vpc: consumer, subnets: [consumer-1a], principal: "\(principal)"}

        """
    }

    func up(_ topology: TestTopology, _ yaml: String) async throws {
        try topology.write(yaml)
        let up = try await topology.up()
        #expect(up.status == 0, "\(up.output)")
    }

    /// The endpoint interfaces in `lbnet status --json`.
    func endpoints(_ topology: TestTopology) async throws -> [[String: Any]] {
        let status = try await topology.lbnet(["status", "--json"]).stdout
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any], "\(status)")
        let privateLink = try #require(report["privateLink"] as? [String: Any], "\(status)")
        return try #require(privateLink["endpoints"] as? [[String: Any]], "\(status)")
    }

    /// The address of the endpoint's interface in `consumer-1a`.
    func endpointAddress(_ topology: TestTopology) async throws -> String {
        try #require(try await endpoints(topology).first?["address"] as? String)
    }

    /// The target server's answer to a request from `host` to `url`, or `nil` if none came.
    func answer(_ topology: TestTopology, from host: String, _ url: String, timeout: Int = 5) async throws -> [String: Any]? {
        let result = try await topology.exec(host, ["curl", "-sS", "--max-time", String(timeout), url])
        return result.status == 0 ? try targetAnswer(result.stdout) : nil
    }

    /// What every namespace of the topology holds: IPv4 addresses and nftables rules (without counters).
    func kernelState(_ topology: TestTopology) async throws -> String {
        try await topology.namespaces().sorted().asyncMap { namespace in
            // Interface and address only: the link's operational state may still settle.
            let addresses = try await run(["ip", "-4", "-n", namespace, "-o", "address"]).stdout.split(separator: "\n")
                .map { $0.split(separator: " ").dropFirst().prefix(3).joined(separator: " ") }.joined(separator: "\n")
            let nft = try await run(["ip", "netns", "exec", namespace, "nft", "-s", "list", "ruleset"]).stdout
            return "\(namespace)\n\(addresses)\n\(nft)"
        }.joined(separator: "\n")
    }

    /// Overlapping VPCs: the client (10.0.1.11, like the provider's web-a1) reaches the service
    /// through the endpoint; the target sees the provider node; a second `up` changes nothing;
    /// with proxy protocol the header names the consumer and carries AWS's TLV naming the
    /// endpoint (and the target still sees the node: PrivateLink traffic is never preserved);
    /// `down` leaves nothing.
    func consumerReachesServiceThroughEndpoint() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml())
            let address = try await endpointAddress(topology)
            let answered = try await eventually(timeout: 15) { (try? await answer(topology, from: "client-a1", "http://\(address)/")) != nil }
            #expect(answered, "no answer through the endpoint at \(address)")
            let reply = try #require(try await answer(topology, from: "client-a1", "http://\(address)/"))
            #expect(reply["instance"] as? String == "web-a1", "the AZ a node answers with an AZ a target: \(reply)")
            #expect((reply["client"] as? String)?.hasPrefix("10.0.1.254:") == true, "targets see the provider node: \(reply)")

            let node = datapath == "ipvs" ? ["ipvsadm", "-Ln"] : ["nft", "list", "table", "ip", "lbnet_nlb"]
            let balancing = try await topology.exec("svc-nlb-local-1a", node).stdout
            #expect(balancing.contains(datapath == "ipvs" ? "TCP  100.65.0.1:80 sh" : "lbnet:dnat tcp 80 on 100.65.0.1"), "\(balancing)")

            let row = try #require(try await endpoints(topology).first)
            #expect(row["state"] as? String == "available" && row["providerNode"] as? String == "svc-nlb-local-1a", "\(row)")
            #expect(row["kernel"] as? String == "in sync", "\(row)")
            let again = try await topology.up()
            #expect(again.stdout.contains("No changes"), "\(again.output)")

            try await up(topology, yaml(proxyProtocol: true))
            let headed = try #require(try await answer(topology, from: "client-a1", "http://\(address)/"))
            let header = try #require(headed["proxyProtocol"] as? [String: Any], "\(headed)")
            #expect(header["vpcEndpointId"] as? String == "ep", "\(header)")
            #expect(header["destination"] as? String == "100.65.0.1:80", "the node's end of the transit link: \(header)")
            // The consumer's own address, though the provider VPC uses the same addresses.
            let consumer = try await topology.exec("client-a1", ["ip", "-4", "-o", "address", "show", "dev", "eth0"]).stdout
            let consumerAddress = try #require(consumer.split(separator: " ").first { $0.contains("/") }?.split(separator: "/").first)
            #expect((header["source"] as? String)?.hasPrefix("\(consumerAddress):") == true, "\(header), client-a1: \(consumer)")
            #expect((headed["client"] as? String)?.hasPrefix("10.0.1.254:") == true, "\(headed)")

            #expect(try await topology.lbnet(["down"]).status == 0)
            #expect(try await topology.namespaces().isEmpty)
            #expect(try await topology.processes().isEmpty)
        }
    }
}
