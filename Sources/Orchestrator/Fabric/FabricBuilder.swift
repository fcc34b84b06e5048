import Kernel

/// Turns a resolved topology into the kernel objects that make it: per VPC a router namespace
/// with a bridge per subnet (holding the gateway address, forwarding on, no ICMP redirects);
/// per host a namespace with `eth0` (a veth into its subnet's bridge), its address without a
/// prefix route, a link route to the gateway and a default route via it (so, as on AWS, even
/// its own subnet is reached through the VPC's router); the `internet` namespace, linked to the router of each VPC that has Elastic IPs
/// (its internet gateway) and routing only those addresses into it; and the processes hosts run.
public struct FabricBuilder: Sendable {
    public let naming: Naming
    /// Absolute path of the `lbnet` binary, used to start the built-in target server.
    public let executable: String
    /// Where the certificates of instances whose built-in server serves HTTPS are kept.
    public let certificates: CertificateStore

    public init(naming: Naming, executable: String, certificates: CertificateStore = CertificateStore(directory: StateDirectory())) {
        self.naming = naming
        self.executable = executable
        self.certificates = certificates
    }

    public func build(_ topology: Topology, elasticIPs: [(vpc: String, address: IPv4Address)] = []) -> FabricSpec {
        var fabric = FabricSpec()
        for vpc in topology.vpcs {
            var router = NamespaceSpec(name: naming.routerNamespace(vpc: vpc.name), sysctls: Self.routerSysctls)
            for subnet in vpc.subnets {
                let bridge = Naming.bridge(subnet: subnet.name)
                router.links.append(LinkSpec(name: bridge, kind: .bridge))
                router.addresses.append(AddressSpec(interface: bridge, address: subnet.gateway))
            }
            fabric.namespaces.append(router)
        }
        for host in topology.hosts {
            let namespace = naming.hostNamespace(host.name)
            let routerNamespace = naming.routerNamespace(vpc: host.vpc)
            let port = Naming.hostPort(host: host.name)
            if let index = fabric.namespaces.firstIndex(where: { $0.name == routerNamespace }) {
                fabric.namespaces[index].links.append(LinkSpec(
                    name: port, kind: .veth(peerNamespace: namespace, peerName: Naming.hostInterface),
                    master: Naming.bridge(subnet: host.subnet)))
            }
            fabric.namespaces.append(NamespaceSpec(
                name: namespace,
                links: [LinkSpec(name: "lo", kind: .loopback),
                        LinkSpec(name: Naming.hostInterface, kind: .vethPeer(ownerNamespace: routerNamespace, ownerName: port))],
                addresses: [AddressSpec(interface: Naming.hostInterface, address: host.address, noPrefixRoute: true)],
                routes: [.hostRoute(host.gateway, device: Naming.hostInterface), .defaultRoute(via: host.gateway)]))
            if let run = host.run {
                fabric.processes.append(process(run, host: host, namespace: namespace))
            }
        }
        var internet = NamespaceSpec(name: naming.internetNamespace)
        for (position, vpc) in topology.vpcs.enumerated() {
            let addresses = elasticIPs.filter { $0.vpc == vpc.name }.map(\.address)
            guard !addresses.isEmpty, let index = fabric.namespaces.firstIndex(where: { $0.name == naming.routerNamespace(vpc: vpc.name) })
            else { continue }
            let transit = InternetGateway.transit(position)
            let internetPort = Naming.internetPort(vpc: vpc.name)
            fabric.namespaces[index].links.append(LinkSpec(
                name: Naming.internetGateway, kind: .veth(peerNamespace: internet.name, peerName: internetPort)))
            fabric.namespaces[index].addresses.append(AddressSpec(interface: Naming.internetGateway, address: transit.gatewaySide))
            fabric.namespaces[index].routes.append(.defaultRoute(via: transit.internetSide.address))
            internet.links.append(LinkSpec(name: internetPort, kind: .vethPeer(ownerNamespace: fabric.namespaces[index].name,
                                                                                ownerName: Naming.internetGateway)))
            internet.addresses.append(AddressSpec(interface: internetPort, address: transit.internetSide))
            internet.routes += addresses.map { RouteSpec(destination: IPv4Network($0, prefixLength: 32)!, gateway: transit.gatewaySide.address) }
        }
        fabric.namespaces.append(internet)
        return fabric
    }

    /// A router forwards, and sends no ICMP redirects: a host's packets to its own subnet come
    /// through it on purpose.
    static let routerSysctls = ["net.ipv4.ip_forward": "1", "net.ipv4.conf.all.send_redirects": "0"]

    private func process(_ run: HostProcess, host: Topology.Host, namespace: String) -> ProcessSpec {
        switch run {
        case .builtinTarget(let port, let tls):
            ProcessSpec(name: host.name, namespace: namespace,
                        arguments: [executable, "target", "--name", host.name, "--az", host.az, "--port", String(port)]
                            + (tls ? ["--tls-certificate", certificates.instanceCertificatePath(host.name),
                                      "--tls-key", certificates.instanceKeyPath(host.name)] : []),
                        nameserver: host.gateway.description)
        case .command(let arguments):
            ProcessSpec(name: host.name, namespace: namespace, arguments: arguments, nameserver: host.gateway.description)
        case .userData(let script):
            ProcessSpec(name: host.name, namespace: namespace, arguments: script.command, input: script.text, user: UserDataScript.user,
                        nameserver: host.gateway.description)
        }
    }
}

/// The link between a VPC's router and the `internet` namespace: a /30 from 100.64.0.0/10
/// (shared address space, never routed on the real internet), one per VPC by its position.
enum InternetGateway {
    struct Transit {
        let gatewaySide: IPv4Interface
        let internetSide: IPv4Interface
    }

    static func transit(_ position: Int) -> Transit {
        let base = IPv4Address(100, 64, 0, 0).advanced(by: position * 4)
        return Transit(gatewaySide: IPv4Interface(address: base.advanced(by: 1), prefixLength: 30),
                       internetSide: IPv4Interface(address: base.advanced(by: 2), prefixLength: 30))
    }
}

extension FabricBuilder {
    /// Adds each NLB node's datapath (IPVS where the kernel has it and the node asks for `auto`
    /// or `ipvs`, else nftables; forwarding and, with IPVS, its sysctls in the node's
    /// namespace; the ``TerminatorReturnPath`` when it has a terminator), the PrivateLink links and NAT of the endpoints it serves, its return path in
    /// its VPC's router, and each VPC gateway's 1:1 NAT for the Elastic IPs of its nodes.
    public func addLoadBalancers(_ nodes: [NetworkLoadBalancerNode], draining: [DrainingBackend], health: HealthRecord,
                                 ipvsAvailable: Bool, to fabric: inout FabricSpec) {
        fabric.ipvsAvailable = ipvsAvailable
        for node in nodes {
            let namespace = naming.hostNamespace(node.name)
            let datapath = node.datapath.resolved(ipvsAvailable: ipvsAvailable)
            let spec = NodeDatapathSpec(node: node, namespace: namespace, datapath: datapath,
                                        draining: draining.filter { $0.node == node.name }, health: health)
            fabric.nodeDatapaths.append(spec)
            if let index = fabric.namespaces.firstIndex(where: { $0.name == namespace }) {
                if spec.hasTerminatedListeners {
                    fabric.namespaces[index].rules.append(TerminatorReturnPath.rule)
                    fabric.namespaces[index].routes.append(TerminatorReturnPath.route)
                }
                fabric.namespaces[index].sysctls["net.ipv4.ip_forward"] = "1"
                if datapath == .ipvs {
                    fabric.namespaces[index].sysctls.merge(IPVSNodeDatapath.sysctls) { _, new in new }
                } else {
                    fabric.namespaces[index].sysctls[NFTablesNodeDatapath.idleTimeoutSysctl] = "\(node.tcpIdleTimeout)"
                }
            }
            addEndpointConnections(of: node, to: &fabric)
            addReturnPath(to: node, in: &fabric)
        }
        let byVPC = Dictionary(grouping: nodes.filter { $0.elasticIP != nil }, by: \.host.vpc)
        for vpc in byVPC.keys.sorted() {
            let mappings = Dictionary(byVPC[vpc]!.map { ($0.elasticIP!.address, $0.host.address.address) }, uniquingKeysWith: { a, _ in a })
            fabric.gateways.append(GatewayNATSpec(vpc: vpc, namespace: naming.routerNamespace(vpc: vpc),
                                                  interface: Naming.internetGateway, mappings: mappings))
        }
    }

    /// Makes the node's router port a routed link of its own (out of the subnet's bridge, with
    /// a host route to the node) and adds the node to the router's return path (see
    /// `ReturnPath`).
    private func addReturnPath(to node: NetworkLoadBalancerNode, in fabric: inout FabricSpec) {
        let routerName = naming.routerNamespace(vpc: node.host.vpc)
        let port = Naming.hostPort(host: node.name)
        guard let index = fabric.namespaces.firstIndex(where: { $0.name == routerName }),
              let link = fabric.namespaces[index].links.firstIndex(where: { $0.name == port }) else { return }
        let returnPath = ReturnPath.Node(name: node.name, port: port, address: node.host.address.address)
        fabric.namespaces[index].links[link] = LinkSpec(name: port, kind: fabric.namespaces[index].links[link].kind)
        fabric.namespaces[index].routes += [.hostRoute(returnPath.address, device: port), ReturnPath.route(returnPath)]
        fabric.namespaces[index].rules.append(ReturnPath.rule(returnPath))
        fabric.returnPaths[routerName, default: []].append(returnPath)
    }
}
