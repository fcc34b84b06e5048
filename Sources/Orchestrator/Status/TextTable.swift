/// Renders rows as a plain-text table with a header and columns padded to their widest cell.
public struct TextTable {
    public let header: [String]
    public private(set) var rows: [[String]] = []

    public init(_ header: [String]) { self.header = header }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func render() -> String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        return ([header] + rows).map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension StatusReport {
    /// The human-readable form of the report: one table per kind of object.
    public func renderText() -> String {
        var vpcTable = TextTable(["VPC", "CIDR", "NAMESPACE", "STATE"])
        vpcs.forEach { vpcTable.add([$0.name, $0.cidr, $0.namespace, $0.state]) }
        var subnetTable = TextTable(["SUBNET", "VPC", "AZ", "CIDR", "GATEWAY", "BRIDGE", "STATE"])
        subnets.forEach { subnetTable.add([$0.name, $0.vpc, $0.availabilityZone, $0.cidr, $0.gateway, $0.bridge, $0.state]) }
        var hostTable = TextTable(["HOST", "KIND", "SUBNET", "AZ", "NAMESPACE", "ADDRESS", "LINK", "PROCESS"])
        hosts.forEach {
            hostTable.add([$0.name, $0.kind, $0.subnet, $0.availabilityZone, $0.namespace, $0.address, $0.state,
                           $0.pid.map { "running (pid \($0))" } ?? $0.process])
        }
        var tables = [vpcTable.render(), subnetTable.render(), hostTable.render()]
        if !loadBalancers.isEmpty {
            var balancerTable = TextTable(["LOAD BALANCER", "TYPE", "SCHEME", "DNS NAME (lbnet exec HOST -- curl http://NAME/)"])
            loadBalancers.forEach { balancerTable.add([$0.name, $0.type, $0.scheme, $0.dnsName]) }
            tables.append(balancerTable.render())
        }
        if !networkLoadBalancerNodes.isEmpty { tables.append(renderNetworkLoadBalancers()) }
        if !applicationLoadBalancers.nodes.isEmpty { tables += applicationLoadBalancers.renderedTables() }
        if !privateLink.isEmpty { tables += privateLink.renderedTables() }
        if !securityGroups.isEmpty { tables.append(SecurityGroupStatusRow.render(securityGroups)) }
        if let certificateAuthority { tables.append("local CA: \(certificateAuthority) (curl --cacert \(certificateAuthority))") }
        tables.append(daemon.map { daemon in
            (["daemon: running (pid \(daemon.pid)), \(daemon.reconciles) reconcile\(daemon.reconciles == 1 ? "" : "s"), "
                + "\(daemon.datapathUpdates) datapath update\(daemon.datapathUpdates == 1 ? "" : "s") by target health and deregistration"]
                + daemon.endpoints.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }).joined(separator: "\n")
        } ?? "daemon: not running (processes are not supervised; 'lbnet up' starts it)")
        return tables.joined(separator: "\n\n")
    }
}
