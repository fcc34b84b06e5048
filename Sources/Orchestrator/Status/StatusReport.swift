import Foundation
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

    /// A load balancer as the API describes it: type, scheme and the name its DNS answers.
    public struct LoadBalancerRow: Codable, Sendable, Equatable {
        public let name: String
        public let type: String
        public let scheme: String
        public let dnsName: String
    }

    public var vpcs: [VPCRow] = []
    public var subnets: [SubnetRow] = []
    public var hosts: [HostRow] = []
    public var loadBalancers: [LoadBalancerRow] = []
    public var networkLoadBalancerNodes: [NetworkLoadBalancerNodeRow] = []
    public var applicationLoadBalancers = ApplicationLoadBalancerStatus()
    public var privateLink = PrivateLinkStatus()
    /// The state directory's local CA certificate (`STATE/ca.pem`), once it exists: what
    /// clients trust for the certificates lbnet issues.
    public var certificateAuthority: String?
    /// Every network interface with security groups.
    public var securityGroups: [SecurityGroupStatusRow] = []
    /// The daemon, when one runs: its pid, how many reconciles it ran, and how many datapath
    /// updates health and draining made without one.
    public var daemon: DaemonRow?

    public struct DaemonRow: Codable, Sendable, Equatable {
        public let pid: Int32
        public let reconciles: Int
        public let datapathUpdates: Int
        /// What the daemon serves besides its sockets (`api`), and where or why not.
        public let endpoints: [String: String]
    }

    public init() {}
}

extension Deployment {
    /// What the daemon reports, when one runs.
    public func runtimeStatus() -> RuntimeStatus? {
        var status: RuntimeStatus?
        _ = try? daemon.send(.status) { if case .status(let reported) = $0 { status = reported } }
        return status
    }

    /// The status report, for any user: asked of the daemon over its public status socket when
    /// one runs; otherwise built here from the kernel, which needs root.
    public func status() throws -> StatusReport {
        let client = DaemonClient(socketPath: directory.statusSocketPath)
        if client.isReachable {
            var report: StatusReport?
            let answer = try client.send(.report) { if case .report(let built) = $0 { report = built } }
            if case .failed(let reason) = answer { throw DeploymentError.daemonFailed(reason) }
            if let report { return report }
        }
        guard geteuid() == 0 else { throw DeploymentError.noDaemonForStatus(directory.path) }
        return try statusReport(runtime: runtimeStatus(), session: KernelSession())
    }

    /// Builds the report from the applied topology, the kernel's current state and the
    /// daemon's (`runtime`, nil when no daemon runs). Needs root: it reads every namespace.
    func statusReport(runtime: RuntimeStatus?, session: KernelSession) throws -> StatusReport {
        guard let topology = try appliedTopology() else { throw DeploymentError.nothingApplied(directory.path) }
        let supervised = runtime?.processes ?? ProcessRecord.runningChildren(in: directory)
        let supervisorUp = runtime != nil
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
                if let entry = supervised[host.name], let running = entry.pid, ProcessLauncher.isRunning(running) {
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
        report.daemon = runtime.map { StatusReport.DaemonRow(pid: $0.pid, reconciles: $0.reconciles, datapathUpdates: $0.datapathUpdates,
                                                               endpoints: $0.endpoints) }
        let running = supervised.compactMapValues { $0.pid == nil ? nil : $0.spec }
        let health = runtime?.health ?? HealthRecord()
        let planned = try directory.withLock { try makePlan(.file(appliedStatePath), processes: running, health: health, session: session) }
        report.loadBalancers = planned.model.file.loadBalancers.map {
            .init(name: $0.name, type: $0.type.rawValue, scheme: $0.scheme.rawValue, dnsName: AWSIdentity().dnsName($0))
        }
        report.networkLoadBalancerNodes = networkLoadBalancerRows(planned, health: health, supervised: supervised,
                                                                  supervisorUp: supervisorUp)
        report.applicationLoadBalancers = try applicationLoadBalancerStatus(supervised: supervised, supervisorUp: supervisorUp)
        report.privateLink = try privateLinkStatus(planned, session: session)
        let authority = LocalCertificateAuthority.certificatePath(in: StateDirectory(path: directory.absolutePath))
        report.certificateAuthority = FileManager.default.fileExists(atPath: authority) ? authority : nil
        report.securityGroups = SecurityGroupStatusRow.rows(planned, session: session)
        report.hosts.append(.init(name: Naming.internetHost, kind: "internet", subnet: "-", availabilityZone: "-",
                                  namespace: internet, address: "-",
                                  state: NetworkNamespace.exists(internet) ? "up" : "missing", process: "-", pid: nil))
        return report
    }
}
