import Kernel

/// Turns a resolved topology into the kernel objects that make it: per VPC a router namespace
/// with a bridge per subnet (holding the gateway address, forwarding on); per host a namespace
/// with `eth0` (a veth into its subnet's bridge), its address and a default route via the
/// gateway; the `internet` namespace; and the processes hosts run.
public struct FabricBuilder: Sendable {
    public let naming: Naming
    /// Absolute path of the `lbnet` binary, used to start the built-in target server.
    public let executable: String

    public init(naming: Naming, executable: String) {
        self.naming = naming
        self.executable = executable
    }

    public func build(_ topology: Topology) -> FabricSpec {
        var fabric = FabricSpec()
        for vpc in topology.vpcs {
            var router = NamespaceSpec(name: naming.routerNamespace(vpc: vpc.name), sysctls: ["net.ipv4.ip_forward": "1"])
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
                addresses: [AddressSpec(interface: Naming.hostInterface, address: host.address)],
                routes: [.defaultRoute(via: host.gateway)]))
            if let run = host.run {
                fabric.processes.append(ProcessSpec(name: host.name, namespace: namespace, arguments: arguments(run, host: host)))
            }
        }
        fabric.namespaces.append(NamespaceSpec(name: naming.internetNamespace))
        return fabric
    }

    private func arguments(_ run: HostProcess, host: Topology.Host) -> [String] {
        switch run {
        case .builtinTarget(let port):
            [executable, "target", "--name", host.name, "--az", host.az, "--port", String(port)]
        case .command(let arguments):
            arguments
        }
    }
}
