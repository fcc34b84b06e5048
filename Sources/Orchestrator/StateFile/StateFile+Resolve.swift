import Kernel

extension StateFile {
    /// The topology this state file describes, with every address decided.
    ///
    /// - Precondition: the state file is valid, as every `StateFile` from `StateFileLoader` is.
    public func resolve() -> Topology {
        let index = StateFileIndex(self)
        let plan = AddressPlan(file: self, index: index)
        let vpcs = vpcs.map { vpc in
            Topology.VPC(
                name: vpc.name, cidr: vpc.cidr,
                subnets: vpc.subnets.map { Topology.Subnet(name: $0.name, az: $0.az, cidr: $0.cidr) })
        }
        let hosts = instances.enumerated().map { position, instance in
            guard let entry = index.subnets[instance.subnet], let address = plan.instanceAddresses[position] else {
                preconditionFailure("resolve() needs a valid state file: instance '\(instance.name)' has no address")
            }
            let subnet = Topology.Subnet(name: entry.subnet.name, az: entry.subnet.az, cidr: entry.subnet.cidr)
            return Topology.Host(
                name: instance.name, kind: .instance, vpc: entry.vpc.name, subnet: subnet.name, az: subnet.az,
                address: IPv4Interface(address: address, prefixLength: subnet.cidr.prefixLength),
                gateway: subnet.gateway.address,
                run: instance.run.map(HostProcess.command) ?? instance.userData.flatMap(UserDataScript.init).map(HostProcess.userData)
                    ?? .builtinTarget(port: instance.port, tls: instance.tls))
        }
        return Topology(elasticIpPool: elasticIpPool, vpcs: vpcs, hosts: hosts)
    }
}
