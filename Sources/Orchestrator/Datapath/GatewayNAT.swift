import Kernel

/// A VPC router's 1:1 NAT for Elastic IPs, through `GatewayNATTable` (`table ip lbnet_gateway`).
enum GatewayNAT {
    static func table(_ spec: GatewayNATSpec) -> ElasticIPNATSpec {
        ElasticIPNATSpec(internetInterface: spec.interface, mappings: spec.mappings.map {
            ElasticIPMapping(elasticIP: $0.key, privateAddress: $0.value)
        }.sorted())
    }

    static func pending(_ spec: GatewayNATSpec, session: KernelSession) throws -> [String] {
        let current = try NFTablesNodeDatapath.current(spec.namespace, table: GatewayNATTable.name, session: session)
        return try GatewayNATTable.plan(table(spec), current: current).operations.map(\.description)
    }

    static func apply(_ spec: GatewayNATSpec, session: KernelSession) throws {
        try GatewayNATTable.apply(table(spec), using: NFTablesNodeDatapath.client(spec.namespace, session: session))
    }
}
