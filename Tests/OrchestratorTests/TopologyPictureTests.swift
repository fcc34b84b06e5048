import Foundation
import Testing
@testable import Orchestrator

/// `lbnet status --format dot` drawn from a fixture report: the default topology (an NLB with
/// Elastic IPs in front of an ALB) plus a PrivateLink consumer VPC, with targets in each health.
struct TopologyPictureTests {
    static let report: StatusReport = {
        var report = StatusReport()
        report.vpcs = [.init(name: "main", cidr: "10.0.0.0/16", namespace: "lbnet-vpc.main", state: "available"),
                       .init(name: "consumer", cidr: "10.0.0.0/16", namespace: "lbnet-vpc.consumer", state: "available")]
        report.subnets = [
            .init(name: "subnet-1a", vpc: "main", availabilityZone: "local-1a", cidr: "10.0.1.0/24", gateway: "10.0.1.1",
                  bridge: "br-subnet-1a", state: "available"),
            .init(name: "subnet-1b", vpc: "main", availabilityZone: "local-1b", cidr: "10.0.2.0/24", gateway: "10.0.2.1",
                  bridge: "br-subnet-1b", state: "available"),
            .init(name: "consumer-1a", vpc: "consumer", availabilityZone: "local-1a", cidr: "10.0.1.0/24", gateway: "10.0.1.1",
                  bridge: "br-consumer-1a", state: "available"),
        ]
        func host(_ name: String, _ kind: String, _ subnet: String, _ address: String, state: String = "up") -> StatusReport.HostRow {
            .init(name: name, kind: kind, subnet: subnet, availabilityZone: subnet.hasSuffix("1b") ? "local-1b" : "local-1a",
                  namespace: "lbnet-\(name)", address: address, state: state, process: "-", pid: nil)
        }
        report.hosts = [
            host("web-a1", "instance", "subnet-1a", "10.0.1.11/24"), host("web-b1", "instance", "subnet-1b", "10.0.2.11/24"),
            host("web \"b2\"", "instance", "subnet-1b", "10.0.2.12/24", state: "down"),
            host("web-nlb-local-1a", "node of web-nlb", "subnet-1a", "10.0.1.254/24"),
            host("web-nlb-local-1b", "node of web-nlb", "subnet-1b", "10.0.2.254/24"),
            host("web-alb-local-1a", "node of web-alb", "subnet-1a", "10.0.1.253/24"),
            host("web-alb-local-1b", "node of web-alb", "subnet-1b", "10.0.2.253/24"),
            host("ep-local-1a", "endpoint of svc", "consumer-1a", "10.0.1.253/24"),
            host("internet", "internet", "-", "-"),
        ]
        func nlbNode(_ az: String, _ address: String, _ elasticIP: String, _ alb: String) -> NetworkLoadBalancerNodeRow {
            .init(loadBalancer: "web-nlb", node: "web-nlb-\(az)", availabilityZone: az, privateAddress: address,
                  elasticIP: elasticIP, allocationId: "eipalloc-0123", datapath: "nftables", state: "in sync",
                  listeners: [.init(protocol: "TCP", port: 80, targetGroup: "web-alb-target",
                                    targets: [.init(address: "\(alb):80", weight: 1, state: "healthy")])])
        }
        report.networkLoadBalancerNodes = [nlbNode("local-1a", "10.0.1.254", "198.51.100.10", "10.0.1.253"),
                                           nlbNode("local-1b", "10.0.2.254", "198.51.100.11", "10.0.2.253")]
        report.applicationLoadBalancers.nodes = ["local-1a", "local-1b"].map { az in
            .init(loadBalancer: "web-alb", node: "web-alb-\(az)", availabilityZone: az, namespace: "lbnet-web-alb-\(az)",
                  address: az == "local-1a" ? "10.0.1.253/24" : "10.0.2.253/24", process: "running", pid: 42, configuration: "loaded")
        }
        func albTarget(_ node: String, _ target: String, _ address: String, _ state: String) -> ApplicationLoadBalancerStatus.Target {
            .init(node: node, targetGroup: "web-instances", target: target, address: address, availabilityZone: "local-1a",
                  state: state, reason: nil, description: nil)
        }
        report.applicationLoadBalancers.targets = [
            albTarget("web-alb-local-1a", "web-a1", "10.0.1.11:8080", "healthy"),
            albTarget("web-alb-local-1b", "web-a1", "10.0.1.11:8080", "healthy"),
            albTarget("web-alb-local-1a", "web-b1", "10.0.2.11:8080", "healthy"),
            albTarget("web-alb-local-1b", "web-b1", "10.0.2.11:8080", "unhealthy"),
            albTarget("web-alb-local-1a", "web \"b2\"", "10.0.2.12:8080", "draining"),
            albTarget("web-alb-local-1a", "10.0.9.9", "10.0.9.9:8080", "initial"),
        ]
        report.privateLink.services = [.init(service: "svc", networkLoadBalancers: ["web-nlb"], acceptanceRequired: true,
                                             allowedPrincipals: ["*"], acceptedEndpoints: [])]
        report.privateLink.endpoints = [.init(interface: "ep-local-1a", endpoint: "ep", service: "svc", vpc: "consumer",
                                              subnet: "consumer-1a", availabilityZone: "local-1a", address: "10.0.1.253",
                                              state: "pendingAcceptance", providerNode: "web-nlb-local-1a", transit: "-",
                                              kernel: "in sync")]
        return report
    }()

    let dot = TopologyPicture(report).dot

    /// The lines of the graph that mention every one of `parts`.
    func lines(_ parts: String...) -> [Substring] {
        dot.split(separator: "\n").filter { line in parts.allSatisfy { line.contains($0) } }
    }

    @Test func vpcsHoldTheirZonesSubnetsAndHosts() throws {
        let text = dot
        let vpc = try #require(text.range(of: "subgraph \"cluster vpc main\""))
        let zone = try #require(text.range(of: "subgraph \"cluster az main local-1a\""))
        let subnet = try #require(text.range(of: "subgraph \"cluster subnet subnet-1a\""))
        let node = try #require(text.range(of: "\"host web-nlb-local-1a\" [label=\"web-nlb-local-1a\\nNLB web-nlb (nftables)\\n10.0.1.254\\nElastic IP 198.51.100.10\""))
        let consumer = try #require(text.range(of: "subgraph \"cluster vpc consumer\""))
        #expect(vpc.lowerBound < zone.lowerBound && zone.lowerBound < subnet.lowerBound && subnet.lowerBound < node.lowerBound
                && node.lowerBound < consumer.lowerBound)
        #expect(lines("label=\"VPC main  10.0.0.0/16\"").count == 1)
        #expect(lines("\"host internet\" [label=\"internet\"", "ellipse").count == 1)
    }

    @Test func trafficFlowsFromTheInternetThroughTheLoadBalancersToTheTargets() {
        #expect(lines("\"host internet\" -> \"host web-nlb-local-1b\"", "label=\"198.51.100.11\"").count == 1)
        #expect(lines("\"host web-nlb-local-1a\" -> \"group web-alb-target\"", "label=\"TCP:80\"").count == 1)
        #expect(lines("\"group web-alb-target\" -> \"host web-alb-local-1a\"").count == 1)
        #expect(lines("\"host web-alb-local-1b\" -> \"group web-instances\"").count == 1)
        #expect(lines("\"group web-instances\" -> \"host web-a1\"", "label=\":8080\"").count == 1)
        #expect(lines("\"group web-instances\" [label=\"target group\\nweb-instances\"", "folder").count == 1)
    }

    @Test func targetsAreColouredByTheWorstHealthAnyNodeSees() {
        #expect(lines("\"host web-a1\" [", "fillcolor=\"\(PictureHealth.healthy.fill)\"").count == 1)
        #expect(lines("\"host web-b1\" [", "fillcolor=\"\(PictureHealth.unhealthy.fill)\"").count == 1)
        #expect(lines("\"group web-instances\" -> \"host web-b1\"", "color=\"\(PictureHealth.unhealthy.line)\"").count == 1)
        #expect(lines("\"host web-alb-local-1a\" [", "fillcolor=\"\(PictureHealth.healthy.fill)\"").count == 1)
        // An IP target that is no host of the topology gets a node of its own.
        #expect(lines("\"target 10.0.9.9:8080\" [label=\"10.0.9.9:8080\"", "fillcolor=\"\(PictureHealth.initial.fill)\"").count == 1)
        // A host that is nobody's target keeps its own colour.
        #expect(lines("\"host web-nlb-local-1a\" [", "fillcolor=\"#e1d5f5\"").count == 1)
    }

    @Test func namesAreQuotedAndProblemsShown() {
        #expect(lines("\"host web \\\"b2\\\"\" [label=\"web \\\"b2\\\"\\n10.0.2.12\\nlink down\"", "fillcolor=\"\(PictureHealth.draining.fill)\"").count == 1)
    }

    @Test func endpointServicesSitInTheProviderVPCAndEndpointsPointAtThem() throws {
        let text = dot
        let service = try #require(text.range(of: "\"service svc\" [label=\"endpoint service svc\\nacceptance required\""))
        let consumer = try #require(text.range(of: "subgraph \"cluster vpc consumer\""))
        #expect(service.lowerBound < consumer.lowerBound)
        #expect(lines("\"service svc\" -> \"host web-nlb-local-1a\"", "dashed").count == 1)
        #expect(lines("\"host ep-local-1a\" -> \"service svc\"", "label=\"pendingAcceptance\"").count == 1)
    }

    /// Graphviz itself accepts the graph, where it is installed (scripts/install-deps installs it).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dot"), "Graphviz's dot is not installed; the structure tests above still run"))
    func graphvizDrawsIt() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        (process.standardInput, process.standardOutput, process.standardError) = (input, output, errors)
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(dot.utf8))
        try input.fileHandleForWriting.close()
        let svg = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let warnings = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(warnings)")
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(svg.contains("<svg") && svg.contains("198.51.100.10") && svg.contains("endpoint service svc"))
    }
}
