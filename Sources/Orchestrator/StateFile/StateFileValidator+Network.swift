import Kernel

extension StateFileValidator {
    /// The prefix lengths AWS accepts for VPCs and subnets.
    static let allowedPrefixLengths = 16...28

    /// VPC and subnet ranges: prefix lengths, subnets inside their VPC and apart from each other.
    mutating func validateNetwork() {
        for (vpcPosition, vpc) in file.vpcs.enumerated() {
            let vpcPath = Self.path("vpcs", vpcPosition)
            checkPrefixLength(of: vpc.cidr, at: vpcPath.key("cidr"))
            if vpc.cidr.overlaps(file.elasticIpPool) {
                report(
                    "\(vpc.cidr) overlaps the elasticIpPool \(file.elasticIpPool)", at: vpcPath.key("cidr"))
            }
            for (position, subnet) in vpc.subnets.enumerated() {
                let cidrPath = vpcPath.key("subnets").index(position).key("cidr")
                checkPrefixLength(of: subnet.cidr, at: cidrPath)
                if !vpc.cidr.contains(subnet.cidr) {
                    report("\(subnet.cidr) is outside the VPC's \(vpc.cidr)", at: cidrPath)
                }
                if let sibling = vpc.subnets[..<position].firstIndex(where: { $0.cidr.overlaps(subnet.cidr) }) {
                    let other = vpc.subnets[sibling]
                    report(
                        "\(subnet.cidr) overlaps subnet '\(other.name)' (\(other.cidr))", at: cidrPath)
                }
            }
        }
    }

    /// Elastic IP addresses: inside the pool, usable, and distinct.
    mutating func validateElasticIps() {
        let pool = file.elasticIpPool
        var owners: [IPv4Address: String] = [:]
        for (position, elasticIP) in file.elasticIps.enumerated() {
            guard let address = elasticIP.address else { continue }
            let path = Self.path("elasticIps", position).key("address")
            if !pool.contains(address) {
                report("\(address) is outside the elasticIpPool \(pool)", at: path)
            } else if address == pool.network || address == pool.broadcast {
                report(
                    "\(address) is the \(address == pool.network ? "network" : "broadcast") address of the elasticIpPool \(pool)",
                    at: path)
            } else if let owner = owners[address] {
                report("\(address) is already the address of Elastic IP '\(owner)'", at: path)
            } else {
                owners[address] = elasticIP.name
            }
        }
    }

    private mutating func checkPrefixLength(of cidr: IPv4Network, at path: FieldPath) {
        let range = Self.allowedPrefixLengths
        if !range.contains(cidr.prefixLength) {
            report("prefix /\(cidr.prefixLength) is out of range /\(range.lowerBound)-/\(range.upperBound)", at: path)
        }
    }
}
