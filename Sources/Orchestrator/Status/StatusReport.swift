import Kernel

/// What `lbnet status` shows: every VPC, subnet and host of the applied topology with its
/// namespace, addresses and the state the kernel and the supervisor report.
public struct StatusReport: Codable, Sendable, Equatable {
    public struct VPCRow: Codable, Sendable, Equatable {
        public let name: String
        public let cidr: String
        public let namespace: String
        public let state: String
    }

    public struct SubnetRow: Codable, Sendable, Equatable {
        public let name: String
        public let vpc: String
        public let availabilityZone: String
        public let cidr: String
        public let gateway: String
        public let bridge: String
        public let state: String
    }

    public struct HostRow: Codable, Sendable, Equatable {
        public let name: String
        public let kind: String
        public let subnet: String
        public let availabilityZone: String
        public let namespace: String
        public let address: String
        public let state: String
        public let process: String
        public let pid: Int32?
    }

    public var vpcs: [VPCRow] = []
    public var subnets: [SubnetRow] = []
    public var hosts: [HostRow] = []
    public var networkLoadBalancerNodes: [NetworkLoadBalancerNodeRow] = []
    public var applicationLoadBalancers = ApplicationLoadBalancerStatus()
    public var privateLink = PrivateLinkStatus()

    public init() {}
}

extension Deployment {
    /// Builds the report from the applied topology and the kernel's current state.
    public func status() throws -> StatusReport {
        guard let topology = try appliedTopology() else { throw DeploymentError.nothingApplied(directory.path) }
        let session = KernelSession()
        let supervised = (try? directory.loadSupervisorStatus())?.processes ?? [:]
        let supervisorUp = supervisor.runningPID() != nil
        var report = StatusReport()

        func links(_ namespace: String) -> [Link]? {
            guard NetworkNamespace.exists(namespace) else { return nil }
            return try? session.route(in: namespace).links()
        }

        for vpc in topology.vpcs {
            let namespace = naming.routerNamespace(vpc: vpc.name)
            let routerLinks = links(namespace)
            report.vpcs.append(.init(name: vpc.name, cidr: vpc.cidr.description, namespace: namespace,
                                     state: routerLinks == nil ? "missing" : "available"))
            for subnet in vpc.subnets {
                let bridge = Naming.bridge(subnet: subnet.name)
                let link = routerLinks?.first { $0.name == bridge }
                report.subnets.append(.init(name: subnet.name, vpc: vpc.name, availabilityZone: subnet.az,
                                            cidr: subnet.cidr.description, gateway: subnet.gateway.address.description,
                                            bridge: bridge, state: link == nil ? "missing" : (link!.isUp ? "available" : "down")))
            }
        }
        for host in topology.hosts {
            let namespace = naming.hostNamespace(host.name)
            let link = links(namespace)?.first { $0.name == Naming.hostInterface }
            let state = link == nil ? (NetworkNamespace.exists(namespace) ? "no link" : "missing") : (link!.isUp ? "up" : "down")
            var process = "-"
            var pid: Int32?
            if host.run != nil || supervised[host.name] != nil {
                if let entry = supervised[host.name], supervisorUp, let running = entry.pid, ProcessLauncher.isRunning(running) {
                    process = "running"
                    pid = running
                } else {
                    process = supervisorUp ? "restarting" : "stopped"
                }
            }
            report.hosts.append(.init(name: host.name, kind: host.kind.description, subnet: host.subnet,
                                      availabilityZone: host.az, namespace: namespace, address: host.address.description,
                                      state: state, process: process, pid: pid))
        }
        let internet = naming.internetNamespace
        let planned = try makePlan(.file(appliedStatePath))
        report.networkLoadBalancerNodes = try networkLoadBalancerRows(planned)
        report.applicationLoadBalancers = try applicationLoadBalancerStatus(supervised: supervised, supervisorUp: supervisorUp)
        report.privateLink = try privateLinkStatus(planned)
        report.hosts.append(.init(name: Naming.internetHost, kind: "internet", subnet: "-", availabilityZone: "-",
                                  namespace: internet, address: "-",
                                  state: NetworkNamespace.exists(internet) ? "up" : "missing", process: "-", pid: nil))
        return report
    }
}
