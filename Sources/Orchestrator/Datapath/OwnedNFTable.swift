import Kernel

/// One nftables table lbnet owns in one namespace, as it must be: an NLB node's datapath, the
/// source NAT beside an IPVS node, a VPC gateway's Elastic IP NAT, an interface endpoint's
/// NAT, a network interface's security groups, a VPC router's return path to NLB nodes, or
/// an NLB node's return paths to its terminator and to PrivateLink endpoints. The NLB table's contents depend on what the kernel holds (slots keep their backends),
/// so a table is planned from its read-back state.
public struct OwnedNFTable: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case networkLoadBalancer(NLBNodeSpec)
        case ipvsSourceNAT(NFTTableSpec)
        case elasticIPNAT(ElasticIPNATSpec)
        case endpointNAT(EndpointNATSpec)
        case securityGroups(SecurityGroupFilterSpec)
        case returnPath(NFTTableSpec)
        case terminatorReturnPath(NFTTableSpec)
        case privateLinkReturnPath(NFTTableSpec)
    }

    public let namespace: String
    /// What the table is for, as a plan prints it: `datapath of web-nlb-local-1a`.
    public let owner: String
    public let content: Content

    public init(namespace: String, owner: String, content: Content) {
        self.namespace = namespace
        self.owner = owner
        self.content = content
    }

    /// Every table name lbnet may create; a namespace's table of one of these names that no
    /// spec wants is removed.
    public static let names = [NLBNodeTable.name, IPVSSourceNAT.tableName, GatewayNATTable.name, EndpointNATTable.name,
                                SecurityGroupTable.name, ReturnPath.tableName, TerminatorReturnPath.tableName, PrivateLinkReturnPath.tableName]

    public var table: String {
        switch content {
        case .networkLoadBalancer: NLBNodeTable.name
        case .ipvsSourceNAT(let spec): spec.name
        case .elasticIPNAT: GatewayNATTable.name
        case .endpointNAT: EndpointNATTable.name
        case .securityGroups: SecurityGroupTable.name
        case .returnPath(let spec), .terminatorReturnPath(let spec), .privateLinkReturnPath(let spec): spec.name
        }
    }

    /// The batch that turns `current` (the table as read back, `nil` when absent) into this one.
    public func plan(current: NFTTableState?) throws(NFTablesError) -> NFTBatch {
        switch content {
        case .networkLoadBalancer(let spec): try NLBNodeTable.plan(spec, current: current)
        case .ipvsSourceNAT(let spec): NFTPlanner.plan(spec, current: current)
        case .elasticIPNAT(let spec): try GatewayNATTable.plan(spec, current: current)
        case .endpointNAT(let spec): try EndpointNATTable.plan(spec, current: current)
        case .securityGroups(let spec): try SecurityGroupTable.plan(spec, current: current)
        case .returnPath(let spec), .terminatorReturnPath(let spec), .privateLinkReturnPath(let spec): NFTPlanner.plan(spec, current: current)
        }
    }
}
