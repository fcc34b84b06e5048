import Foundation
import Testing

/// Client IP preservation, written once and run on each datapath (nftables here, IPVS in the
/// VM): the address each target sees, with traffic and the targets' own answers as witnesses.
struct ClientAddressScenario {
    let datapath: String

    /// The internet client's address: the `internet` end of VPC `main`'s gateway link.
    static let internetClient = "100.64.0.2"
    static let nodeA = "10.0.1.254"
    static let clientA = "10.0.1.20"
    static let echoA = "10.0.1.21"
    static let udpPort = 5353

    /// An echo server for UDP (each datagram is answered with the sender's address and port as
    /// it arrived) that also accepts TCP on the same port, for the group's health checks.
    static let udpEcho = """
        import socket, threading
        t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("0.0.0.0", \(udpPort))); t.listen(16)
        threading.Thread(target=lambda: [t.accept()[0].close() for _ in iter(int, 1)], daemon=True).start()
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", \(udpPort)))
        while True:
            data, peer = u.recvfrom(2048); u.sendto(("%s:%d" % peer).encode(), peer)
        """

    /// One NLB over two AZs: TCP:80 to an `instance` group (preserves by default), TCP:81 to an
    /// `ip` group holding web-a1 (does not), UDP:5353 to the echo server (always preserves),
    /// TLS:443 to the `instance` group (through the node's terminator), TCP:82 to an `ip` group
    /// with proxy protocol v2 (through the terminator too). `instanceGroup`, `ipGroup` and
    /// `proxyProtocolGroup` set `preserve_client_ip.enabled` when given. The `default` group lets
    /// the VPC in, and internet clients to the served ports (with their addresses preserved, the
    /// targets see them).
    func yaml(instanceGroup: String? = nil, ipGroup: String? = nil, proxyProtocolGroup: String? = nil) -> String {
        func attributes(_ value: String?, _ more: String = "") -> String {
            "{" + ([more] + [value.map { "preserve_client_ip.enabled: \"\($0)\"" } ?? ""]).filter { !$0.isEmpty }.joined(separator: ", ") + "}"
        }
        return """
            vpcs:
              - name: main
                cidr: 10.0.0.0/16
                subnets:
                  - {name: subnet-1a, az: local-1a, cidr: 10.0.1.0/24}
                  - {name: subnet-1b, az: local-1b, cidr: 10.0.2.0/24}
            instances:
              - {name: web-a1, subnet: subnet-1a, address: 10.0.1.11}
              - {name: web-b1, subnet: subnet-1b, address: 10.0.2.11}
              - {name: client-a, subnet: subnet-1a, address: \(Self.clientA)}
              - name: echo-a
                subnet: subnet-1a
                address: \(Self.echoA)
                run:
                  - python3
                  - -c
                  - |
            \(Self.udpEcho.split(separator: "\n").map { "            \($0)" }.joined(separator: "\n"))
            certificates:
              - {name: web, domainNames: [www.example.test]}
            securityGroups:
              - name: default
                vpc: main
                ingress:
                  - {ipProtocol: "-1", cidrIp: 10.0.0.0/16}
                  - {ipProtocol: tcp, fromPort: 8080, toPort: 8080, cidrIp: 0.0.0.0/0}
                  - {ipProtocol: udp, fromPort: \(Self.udpPort), toPort: \(Self.udpPort), cidrIp: 0.0.0.0/0}
            loadBalancers:
              - name: nlb
                type: network
                datapath: \(datapath)
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - {protocol: TCP, port: 80, defaultActions: [{type: forward, targetGroupName: by-instance}]}
                  - {protocol: TCP, port: 81, defaultActions: [{type: forward, targetGroupName: by-ip}]}
                  - {protocol: UDP, port: \(Self.udpPort), defaultActions: [{type: forward, targetGroupName: echo}]}
                  - {protocol: TLS, port: 443, certificates: [web], defaultActions: [{type: forward, targetGroupName: by-instance}]}
                  - {protocol: TCP, port: 82, defaultActions: [{type: forward, targetGroupName: proxy-protocol}]}
            targetGroups:
              - {name: by-instance, protocol: TCP, port: 8080, vpc: main, attributes: \(attributes(instanceGroup)), targets: [{id: web-a1}, {id: web-b1}]}
              - {name: by-ip, protocol: TCP, port: 8080, vpc: main, targetType: ip, attributes: \(attributes(ipGroup)), targets: [{id: 10.0.1.11}]}
              - {name: echo, protocol: UDP, port: \(Self.udpPort), vpc: main, targets: [{id: echo-a}]}
              - {name: proxy-protocol, protocol: TCP, port: 8080, vpc: main, targetType: ip,
                 attributes: \(attributes(proxyProtocolGroup, "proxy_protocol_v2.enabled: \"true\"")), targets: [{id: 10.0.1.11}]}

            """
    }

    /// The target server's answer to a request to `url` from `host` (`-k`: the terminator's
    /// certificate is the state directory's own); nil when the request failed.
    func answer(_ topology: TestTopology, from host: String = "internet", _ url: String) async throws -> [String: Any]? {
        let result = try await topology.exec(host, ["curl", "-sSk", "--max-time", "10", "--retry", "5", "--retry-connrefused", url])
        guard result.status == 0 else { return nil }
        return try targetAnswer(result.stdout)
    }

    /// The client address (without its port) the target server saw for a request to `url`
    /// from `host`; nil when the request failed.
    func seenClient(_ topology: TestTopology, from host: String = "internet", _ url: String) async throws -> String? {
        guard let client = try await answer(topology, from: host, url)?["client"] as? String else { return nil }
        return client.split(separator: ":").first.map(String.init)
    }

    /// The client the proxy protocol header named, and the address it reached (each without
    /// its port), as the target server reported them for a request to `url` from `internet`.
    func proxyProtocolAddresses(_ topology: TestTopology, _ url: String) async throws -> [String]? {
        guard let header = try await answer(topology, url)?["proxyProtocol"] as? [String: Any] else { return nil }
        return ["source", "destination"].map { (header[$0] as? String)?.split(separator: ":").first.map(String.init) ?? "-" }
    }

    /// What the UDP echo server answered a datagram sent from `internet` to `address` (the
    /// sender's address as it arrived); datagrams are sent again until one is answered.
    func udpAnswer(_ topology: TestTopology, _ address: String) async throws -> String? {
        let script = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
            for _ in range(15):
                s.sendto(b"who am I", ("\(address)", \(Self.udpPort)))
                try:
                    print(s.recvfrom(2048)[0].decode()); break
                except socket.timeout:
                    pass
            """
        let result = try await topology.exec("internet", ["python3", "-c", script])
        return result.stdout.split(separator: "\n").first.map { String($0.split(separator: ":")[0]) }
    }

    func up(_ topology: TestTopology, _ yaml: String) async throws {
        try topology.write(yaml)
        let up = try await topology.up()
        #expect(up.status == 0, "\(up.output)")
    }

    /// AWS's defaults: `instance` targets and UDP see the client, inside the VPC or from the
    /// internet, through a TLS listener too; `ip` targets of TCP see the node, and with proxy
    /// protocol read the client from the header. The hairpin limitation: with preservation on,
    /// a target that reaches its own NLB and is balanced back to itself gets nothing back (its
    /// own address comes in from outside, a martian); without it the node's address makes the
    /// round trip work. Flipping the attribute flips what new connections see, and a second
    /// `up` changes nothing.
    func targetsSeeTheAddressAWSGivesThem() async throws {
        try await TestTopology.with { topology in
            try await up(topology, yaml())
            let elasticIP = NLBScenario.elasticIPA
            #expect(try await seenClient(topology, "http://\(elasticIP)/") == Self.internetClient)
            #expect(try await seenClient(topology, from: "client-a", "http://\(Self.nodeA)/") == Self.clientA)
            #expect(try await seenClient(topology, "http://\(elasticIP):81/") == Self.nodeA)
            #expect(try await udpAnswer(topology, elasticIP) == Self.internetClient)
            // Through the terminator: TLS to an `instance` group preserves (a transparent relay);
            // proxy protocol to an `ip` group does not, and its header names the client.
            #expect(try await seenClient(topology, "https://\(elasticIP)/") == Self.internetClient)
            #expect(try await seenClient(topology, "http://\(elasticIP):82/") == Self.nodeA)
            #expect(try await proxyProtocolAddresses(topology, "http://\(elasticIP):82/") == [Self.internetClient, Self.nodeA])
            let plain = try #require(try await answer(topology, "http://\(elasticIP)/"))
            #expect(plain["proxyProtocol"] == nil, "only the proxy-protocol group's targets get a header")
            // Cross-zone is off: node A's only `instance` target is web-a1 itself.
            let hairpin = try await topology.exec("web-a1", ["curl", "-sS", "--max-time", "5", "http://\(Self.nodeA)/"])
            #expect(hairpin.status == 28, "expected curl to time out: \(hairpin.output)")
            #expect(try await seenClient(topology, from: "web-a1", "http://\(Self.nodeA):81/") == Self.nodeA)
            let second = try await topology.lbnet(["plan", "-f", topology.stateFile])
            #expect(second.stdout.contains("No changes"), "\(second.output)")

            try await up(topology, yaml(instanceGroup: "false", ipGroup: "true", proxyProtocolGroup: "true"))
            #expect(try await seenClient(topology, "http://\(elasticIP)/") == Self.nodeA)
            #expect(try await seenClient(topology, "https://\(elasticIP)/") == Self.nodeA)
            #expect(try await seenClient(topology, "http://\(elasticIP):82/") == Self.internetClient)
            #expect(try await proxyProtocolAddresses(topology, "http://\(elasticIP):82/") == [Self.internetClient, Self.nodeA])
            #expect(try await seenClient(topology, "http://\(elasticIP):81/") == Self.internetClient)
            #expect(try await seenClient(topology, from: "client-a", "http://\(Self.nodeA):81/") == Self.clientA)
            let third = try await topology.lbnet(["plan", "-f", topology.stateFile])
            #expect(third.stdout.contains("No changes"), "\(third.output)")
        }
    }
}

/// Client IP preservation on the nftables datapath, on this host's kernel.
@Suite(.serialized, .enabled(if: isRoot, rootSkipReason))
struct ClientAddressNFTablesTests {
    let scenario = ClientAddressScenario(datapath: "nftables")

    @Test func targetsSeeTheAddressAWSGivesThem() async throws { try await scenario.targetsSeeTheAddressAWSGivesThem() }
}

/// The same on IPVS, in the VM of `scripts/vm-test`.
@Suite(.serialized, .enabled(if: isRoot && (NLBScenario.ipvsPresent || NLBScenario.ipvsRequired),
                             "needs root and a kernel with IPVS; scripts/vm-test runs these in a VM"))
struct ClientAddressIPVSTests {
    let scenario = ClientAddressScenario(datapath: "ipvs")

    @Test func targetsSeeTheAddressAWSGivesThem() async throws { try await scenario.targetsSeeTheAddressAWSGivesThem() }
}
