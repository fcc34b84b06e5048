import Kernel

/// What the kernel holds in the namespaces lbnet looked at, and which of its processes run.
public struct KernelSnapshot: Sendable, Equatable {
    public var namespaces: [String: NamespaceState]
    /// Processes lbnet supervises, by name, with the spec they were started from, when running.
    public var processes: [String: ProcessSpec]

    public init(namespaces: [String: NamespaceState] = [:], processes: [String: ProcessSpec] = [:]) {
        self.namespaces = namespaces
        self.processes = processes
    }
}

/// The observed contents of one namespace.
public struct NamespaceState: Sendable, Equatable {
    public var links: [Link]
    public var addresses: [InterfaceAddress]
    public var routes: [Route]
    public var sysctls: [String: String]

    public init(links: [Link] = [], addresses: [InterfaceAddress] = [], routes: [Route] = [], sysctls: [String: String] = [:]) {
        self.links = links
        self.addresses = addresses
        self.routes = routes
        self.sysctls = sysctls
    }

    public func link(named name: String) -> Link? { links.first { $0.name == name } }
    public func link(index: Int32) -> Link? { links.first { $0.index == index } }

    /// Addresses by interface name (loopback's are the kernel's own and left out).
    var addressSpecs: Set<AddressSpec> {
        Set(addresses.compactMap { entry in
            guard let link = link(index: entry.interfaceIndex), link.name != "lo" else { return nil }
            return AddressSpec(interface: link.name, address: entry.address)
        })
    }

    /// Routes lbnet could have made (static ones), with device names instead of indexes.
    var staticRouteSpecs: Set<RouteSpec> {
        Set(routes.filter { $0.origin == RouteConstants.protocolStatic }.map { route in
            RouteSpec(destination: route.destination, gateway: route.gateway,
                      device: route.gateway == nil ? route.outputInterfaceIndex.flatMap { link(index: $0)?.name } : nil)
        })
    }
}
