import Kernel

extension FabricSpec {
    /// Every nftables table lbnet must hold, by namespace: each NLB node's datapath table (or,
    /// with IPVS, its source NAT; its terminator's return path when it has one), each VPC gateway's Elastic IP NAT, each available interface
    /// endpoint's NAT, each VPC router's return path to its NLB nodes, each network interface's
    /// security groups.
    public var desiredNFTables: [OwnedNFTable] {
        var tables: [OwnedNFTable] = []
        for spec in nodeDatapaths {
            switch spec.datapath {
            case .ipvs:
                tables.append(OwnedNFTable(namespace: spec.namespace, owner: "source NAT of IPVS node \(spec.node)",
                                           content: .ipvsSourceNAT(IPVSSourceNAT.table(spec))))
            default:
                tables.append(OwnedNFTable(namespace: spec.namespace, owner: "nftables datapath of \(spec.node)",
                                           content: .networkLoadBalancer(NFTablesNodeDatapath.table(spec))))
            }
            if spec.hasTerminatedListeners {
                tables.append(OwnedNFTable(namespace: spec.namespace, owner: "terminator return path of \(spec.node)",
                                           content: .terminatorReturnPath(TerminatorReturnPath.nftTable())))
            }
        }
        tables += gateways.map {
            OwnedNFTable(namespace: $0.namespace, owner: "elastic IP NAT of VPC \($0.vpc)", content: .elasticIPNAT(GatewayNAT.table($0)))
        }
        tables += endpoints.compactMap { endpoint in
            endpoint.nat.map { OwnedNFTable(namespace: endpoint.namespace, owner: "endpoint NAT of \(endpoint.endpoint)", content: .endpointNAT($0)) }
        }
        tables += privateLinkReturnPaths.keys.sorted().map {
            OwnedNFTable(namespace: $0, owner: "way back to PrivateLink endpoints",
                         content: .privateLinkReturnPath(PrivateLinkReturnPath.table(privateLinkReturnPaths[$0]!)))
        }
        tables += returnPaths.keys.sorted().map {
            OwnedNFTable(namespace: $0, owner: "return path to NLB nodes", content: .returnPath(ReturnPath.table(returnPaths[$0]!)))
        }
        tables += securityGroups.map {
            OwnedNFTable(namespace: $0.namespace, owner: "security groups \($0.groups.joined(separator: ", ")) of \($0.host)",
                         content: .securityGroups($0.filter))
        }
        return tables
    }

    /// The IPVS services of every NLB node namespace where the kernel has IPVS: the node's
    /// services with the IPVS datapath, none with nftables.
    public var desiredIPVSTables: [OwnedIPVSTable] {
        guard ipvsAvailable else { return [] }
        return nodeDatapaths.map { spec in
            OwnedIPVSTable(namespace: spec.namespace, node: spec.node,
                           table: spec.datapath == .ipvs ? IPVSNodeDatapath.table(spec) : IPVSTable(),
                           tcpTimeout: spec.datapath == .ipvs ? spec.tcpIdleTimeout : nil)
        }
    }
}
