import Kernel

/// An interface endpoint's NAT in its namespace, through `EndpointNATTable`
/// (`table ip lbnet_endpoint`), removed while the endpoint is not available.
enum EndpointDatapath {
    static func pending(_ spec: EndpointDatapathSpec, session: KernelSession) throws -> [String] {
        let current = try NFTablesNodeDatapath.current(spec.namespace, table: EndpointNATTable.name, session: session)
        return try EndpointNATTable.plan(spec.nat, current: current).operations.map(\.description)
    }

    static func apply(_ spec: EndpointDatapathSpec, session: KernelSession) throws {
        try EndpointNATTable.apply(spec.nat, using: NFTablesNodeDatapath.client(spec.namespace, session: session))
    }
}
