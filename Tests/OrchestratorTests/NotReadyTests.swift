@testable import Orchestrator
import Testing

/// What `up --wait` waits for, on hand-built status reports.
@Suite struct NotReadyTests {
    func report(nlbTarget: String = "healthy", albTarget: String = "healthy", configuration: String = "loaded",
                process: String = "running", nodeState: String = "in sync") -> StatusReport {
        var report = StatusReport()
        report.vpcs = [.init(name: "main", cidr: "10.0.0.0/16", namespace: "lbnet-vpc.main", state: "available")]
        report.hosts = [.init(name: "web-a1", kind: "instance", subnet: "subnet-1a", availabilityZone: "local-1a",
                              namespace: "lbnet-web-a1", address: "10.0.1.11/24", state: "up", process: "running", pid: 7)]
        report.networkLoadBalancerNodes = [.init(
            loadBalancer: "web-nlb", node: "web-nlb-local-1a", availabilityZone: "local-1a", privateAddress: "10.0.1.254",
            elasticIP: nil, allocationId: nil, datapath: "nftables", state: nodeState,
            listeners: [.init(protocol: "TCP", port: 80, targets: [.init(address: "10.0.1.253:80", weight: 1, state: nlbTarget,
                                                                                         reason: nlbTarget == "initial" ? "Elb.InitialHealthChecking" : nil)])])]
        report.applicationLoadBalancers.nodes = [.init(
            loadBalancer: "web-alb", node: "web-alb-local-1a", availabilityZone: "local-1a", namespace: "lbnet-web-alb-local-1a",
            address: "10.0.1.253/24", process: process, pid: process == "running" ? 9 : nil, configuration: configuration)]
        report.applicationLoadBalancers.targets = [.init(
            node: "web-alb-local-1a", targetGroup: "web-instances", target: "web-a1", address: "10.0.1.11:8080",
            availabilityZone: "local-1a", state: albTarget, reason: albTarget == "initial" ? "Elb.InitialHealthChecking" : nil,
            description: nil)]
        return report
    }

    @Test func readyWhenEveryTargetLeftInitialHealthyOrNot() {
        #expect(report().notReady.isEmpty)
        #expect(report(nlbTarget: "unhealthy", albTarget: "unhealthy").notReady.isEmpty)
        #expect(report(nlbTarget: "draining").notReady.isEmpty)
    }

    @Test func namesEachObjectThatWaitsWithItsState() {
        #expect(report(nlbTarget: "initial").notReady.map(\.description)
            == ["target 10.0.1.253:80 of web-nlb-local-1a TCP:80: initial (Elb.InitialHealthChecking)"])
        #expect(report(albTarget: "initial").notReady.map(\.description)
            == ["target web-a1 (10.0.1.11:8080) of web-instances (node web-alb-local-1a): initial (Elb.InitialHealthChecking)"])
        #expect(report(albTarget: "unknown").notReady.map(\.object) == ["target web-a1 (10.0.1.11:8080) of web-instances (node web-alb-local-1a)"])
        #expect(report(configuration: "reloading").notReady.map(\.description) == ["ALB node web-alb-local-1a of web-alb: configuration reloading"])
        #expect(report(process: "restarting").notReady.map(\.description) == ["ALB node web-alb-local-1a of web-alb: process restarting"])
        #expect(report(nodeState: "out of sync (run up)").notReady.map(\.description)
            == ["NLB node web-nlb-local-1a of web-nlb: out of sync (run up)"])
    }
}
