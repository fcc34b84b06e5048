/// Name lookups over a state file; when a name is declared twice, the first declaration wins.
struct StateFileIndex {
    /// Where a subnet is declared, with the VPC it belongs to.
    struct SubnetEntry {
        let vpcIndex: Int
        let subnetIndex: Int
        let vpc: StateFile.VPC
        let subnet: StateFile.Subnet

        var path: FieldPath { FieldPath.root.key("vpcs").index(vpcIndex).key("subnets").index(subnetIndex) }
    }

    let vpcs: [String: Int]
    let subnets: [String: SubnetEntry]
    let instances: [String: Int]
    let elasticIps: [String: Int]
    let loadBalancers: [String: Int]
    let targetGroups: [String: Int]
    let endpointServices: [String: Int]
    let vpcEndpoints: [String: Int]

    init(_ file: StateFile) {
        vpcs = Self.firstIndex(by: file.vpcs.map(\.name))
        var subnets: [String: SubnetEntry] = [:]
        for (vpcIndex, vpc) in file.vpcs.enumerated() {
            for (subnetIndex, subnet) in vpc.subnets.enumerated() where subnets[subnet.name] == nil {
                subnets[subnet.name] = SubnetEntry(vpcIndex: vpcIndex, subnetIndex: subnetIndex, vpc: vpc, subnet: subnet)
            }
        }
        self.subnets = subnets
        instances = Self.firstIndex(by: file.instances.map(\.name))
        elasticIps = Self.firstIndex(by: file.elasticIps.map(\.name))
        loadBalancers = Self.firstIndex(by: file.loadBalancers.map(\.name))
        targetGroups = Self.firstIndex(by: file.targetGroups.map(\.name))
        endpointServices = Self.firstIndex(by: file.endpointServices.map(\.name))
        vpcEndpoints = Self.firstIndex(by: file.vpcEndpoints.map(\.name))
    }

    private static func firstIndex(by names: [String]) -> [String: Int] {
        var result: [String: Int] = [:]
        for (position, name) in names.enumerated() where result[name] == nil {
            result[name] = position
        }
        return result
    }
}
